import 'reflect-metadata';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { createImportProgress } from './importProgress';
import { runCommand } from './runCommand';
import { problemLines, reportLines } from './sourceImportReport';
import { importContent, readContentFiles } from '../content/import/contentImport';
import { ghostItems } from '../content/import/ghost/readGhostExport';
import { formatProblem, summaryLine } from '../content/import/importReport';
import { mediaDownloads } from '../content/import/media/downloadMedia';
import { importSourcePosts, type SourceItem } from '../content/import/source/importSourcePosts';
import type { SourcePost } from '../content/import/source/sourcePost';
import { openWordpressExport } from '../content/import/wordpress/wordpressExport';
import { createDataSource, openDataSource } from '../db/createDataSource';
import { createLogger } from '../ops/logger';

export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Where a progress bar is drawn when it is a terminal (process.stderr); else plain lines on err. */
  progress?: NodeJS.WriteStream;
}

const consoleIo: CommandIo = {
  out: line => console.log(line),
  err: line => console.error(line),
  progress: process.stderr,
};

/** An export of another system opened for import: its items, and how far a pass has read. */
/** What the command line says about the export besides its file. */
export interface SourceOptions {
  locale: string | null;
  /** --site-url (Ghost: an export does not name its site). */
  siteUrl: string | null;
  /** --members-posts (Ghost): draft (the default) or public. */
  membersPosts: 'draft' | 'public';
}

export interface OpenedSource {
  /** "WordPress export of example.org (WXR 1.2, 186 items, locale en)", for the first line. */
  description: string;
  /** Items in the export, for the progress bar; null where the reader cannot tell beforehand. */
  total: number | null;
  items: () => AsyncIterable<SourceItem>;
  read: () => number;
}

/**
 * The systems `--from` names, each with the function that opens its export
 * (src/content/import/wordpress/, src/content/import/ghost/); another system is one more entry.
 */
export const sourceReaders: Record<
  string,
  (file: string, options: SourceOptions) => Promise<OpenedSource>
> = {
  wordpress: async (file, options) => {
    const opened = await openWordpressExport(file, options);
    const { site } = opened;
    return {
      description: `WordPress export of ${site.host} (WXR ${site.wxrVersion ?? '?'}, ${opened.total} items, locale ${opened.locale})`,
      total: opened.total,
      items: opened.items,
      read: opened.read,
    };
  },
  ghost: async (file, options) => {
    // The whole export is parsed here (and --site-url checked), so a bad file writes nothing.
    const items = ghostItems(file, {
      siteUrl: options.siteUrl,
      membersPosts: options.membersPosts,
      ...(options.locale ? { locale: options.locale } : {}),
    });
    let read = 0;
    return {
      description: `Ghost export${options.siteUrl ? ` of ${options.siteUrl}` : ''}`,
      total: null,
      items: async function* () {
        for (const item of items) {
          read += 1;
          yield item;
        }
      },
      read: () => read,
    };
  },
};

/**
 * --download-media: each post's featured image and body images copied into MEDIA_DIR as it comes
 * (src/content/import/media/), the failures added to its warnings.
 */
async function* withDownloadedMedia(
  items: AsyncIterable<SourceItem>,
  download: (post: SourcePost) => Promise<{ post: SourcePost }>,
): AsyncIterable<SourceItem> {
  for await (const item of items) {
    yield 'post' in item ? { post: (await download(item.post)).post } : item;
  }
}

const sourceUsage =
  'usage: npm run content:import -- --from <' +
  Object.keys(sourceReaders).join('|') +
  '> <export file> [--dry-run] [--locale <BCP 47 tag>] [--download-media] [--site-url <url> (ghost)] [--members-posts draft|public (ghost)]';

/**
 * npm run content:import -- --from wordpress <export.xml> [--dry-run] [--locale de]
 * [--download-media]: imports
 * another system's export through importSourcePosts, with a progress bar (plain lines where
 * stderr is no terminal) and the report: refused posts and warnings on stderr, each skipped
 * item and the summary on stdout. Returns 0, 1 when any post was refused (the others are
 * imported), 2 for a usage error or an export that cannot be read.
 */
async function sourceImportCommand(
  args: string[],
  env: NodeJS.ProcessEnv,
  io: CommandIo,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        locale: { type: 'string' },
        'site-url': { type: 'string' },
        'members-posts': { type: 'string', default: 'draft' },
        'download-media': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n${sourceUsage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const from = values.from ?? '';
  const open = Object.hasOwn(sourceReaders, from) ? sourceReaders[from] : undefined;
  if (!open || positionals.length !== 1) {
    io.err(open ? sourceUsage : `unknown --from ${values.from}\n${sourceUsage}`);
    return 2;
  }
  const locale = values.locale ?? null;
  if (locale !== null && !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale)) {
    io.err(`--locale ${locale}: expected a BCP 47 tag such as de or en-GB`);
    return 2;
  }
  const membersPosts = values['members-posts'];
  if (membersPosts !== 'draft' && membersPosts !== 'public') {
    io.err(`--members-posts ${membersPosts}: expected draft or public`);
    return 2;
  }
  const [file] = positionals;
  if (!fs.existsSync(file)) {
    io.err(`cannot read ${file}: no such file`);
    return 2;
  }
  const config = loadConfig(env);
  let source: OpenedSource;
  try {
    // The first pass: a file that is not an export (or not well-formed) stops here, nothing written.
    source = await open(file, { locale, siteUrl: values['site-url'] ?? null, membersPosts });
  } catch (error) {
    io.err(`cannot import ${file}: ${(error as Error).message}`);
    return 2;
  }
  io.out(`${values['dry-run'] ? 'Dry run of ' : 'Importing '}${source.description}`);
  let items = source.items();
  if (values['download-media'] && values['dry-run']) {
    io.out(
      '--download-media: nothing is downloaded on a dry run; the report shows the old image URLs',
    );
  } else if (values['download-media']) {
    items = withDownloadedMedia(
      items,
      mediaDownloads({ mediaDir: config.mediaDir, ...config.mediaDownload }),
    );
  }
  const db = createDataSource(config.database, { log: createLogger('warn') });
  await openDataSource(db, config.migrationsRun);
  const progress = createImportProgress(source.total, {
    stream: io.progress ?? ({ isTTY: false } as NodeJS.WriteStream),
    line: io.err,
  });
  try {
    const report = await importSourcePosts(db, items, {
      revisionsKept: config.editorial.revisionsKept,
      dryRun: values['dry-run'],
      onProgress: () => progress.update(source.read()),
    });
    progress.stop();
    for (const line of problemLines(file, report)) io.err(line);
    for (const line of reportLines(file, report)) io.out(line);
    return report.refused.length ? 1 : 0;
  } catch (error) {
    progress.stop();
    throw error;
  } finally {
    await db.destroy();
  }
}

/**
 * npm run content:import -- <file or folder> [...]: imports Markdown files with front matter and
 * reports what it did: one line per problem (`file:line: message`), errors then warnings, on
 * stderr, and a summary line on stdout. Returns the exit code: 0 when every file was imported
 * (warnings or not), 1 when any file had an error (nothing of that file is written; the other
 * files are imported), 2 for a usage error.
 */
export async function contentImportCommand(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CommandIo = consoleIo,
): Promise<number> {
  // With --from the export of another system; without it, the gateway's own Markdown files.
  if (args.some(arg => arg === '--from' || arg.startsWith('--from='))) {
    return sourceImportCommand(args, env, io);
  }
  if (args.length === 0) {
    io.err('usage: npm run content:import -- <file or folder> [...]');
    io.err(`       ${sourceUsage.replace('usage: ', '')}`);
    return 2;
  }
  const config = loadConfig(env);
  let files;
  try {
    files = args.flatMap(target => readContentFiles(target));
  } catch (error) {
    io.err(`cannot read ${args.join(', ')}: ${(error as Error).message}`);
    return 2;
  }
  const db = createDataSource(config.database, { log: createLogger('warn') });
  await openDataSource(db, config.migrationsRun);
  try {
    const report = await importContent(db, files, new Date(), {
      mediaDir: config.mediaDir,
      revisionsKept: config.editorial.revisionsKept,
    });
    for (const problem of report.problems) io.err(formatProblem(problem, 'error'));
    for (const warning of report.warnings) io.err(formatProblem(warning, 'warning'));
    io.out(summaryLine(report));
    return report.problems.length ? 1 : 0;
  } finally {
    await db.destroy();
  }
}

if (require.main === module) runCommand(() => contentImportCommand(process.argv.slice(2)));
