import 'reflect-metadata';
import { loadConfig } from '../config';
import { runCommand } from './runCommand';
import { importContent, readContentFiles } from '../content/import/contentImport';
import { formatProblem, summaryLine } from '../content/import/importReport';
import { createDataSource, openDataSource } from '../db/createDataSource';
import { createLogger } from '../ops/logger';

export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleIo: CommandIo = { out: line => console.log(line), err: line => console.error(line) };

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
  if (args.length === 0) {
    io.err('usage: npm run content:import -- <file or folder> [...]');
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
