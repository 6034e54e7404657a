import fs from 'node:fs';
import path from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { missingMedia } from './missingMedia';
import { parseInstant } from './parseInstant';
import { Article } from '../../entities/Article';
import type { ArticleStatus } from '../../entities/enums';
import { contentTransaction } from '../changes/contentTransaction';
import type { ArticleValues } from '../editorial/articleColumns';
import { articleRules, madeSlug, maxAuthors, maxTags, nameRules } from '../editorial/articleRules';
import { InvalidFieldError } from '../editorial/InvalidFieldError';
import { saveArticle } from '../editorial/saveArticle';
import { keepEarlierSlugs, slugOwner } from '../editorial/slugHistory';
import { slugOf } from '../textFolding';
import { type FrontMatter, readFrontMatter } from './frontMatter';
import { emptyReport, type ImportProblem, type ImportReport } from './importReport';
import { upsertAuthor, upsertTag } from './upsertNames';

/** One Markdown file with front matter: its name (for reports) and its text. */
export interface ContentFile {
  name: string;
  text: string;
}

export type { ImportProblem, ImportReport } from './importReport';
export { describeReport } from './importReport';

/** Where the import looks beyond the files themselves. */
export interface ImportOptions {
  /** The folder the /media route serves; when set, a missing local image is a warning. */
  mediaDir?: string;
  /** Revisions kept per article (REVISIONS_KEPT); 50 by default. */
  revisionsKept?: number;
}

// The field rules are the editorial mutations' own (src/content/editorial/articleRules.ts).
const slug = articleRules.slug;
// Dates arrive here already read by parseInstant (see DATE_FIELDS).
const instant = z.date();
const reference = z.string().trim().min(1).max(200);

/** The front-matter fields that hold a date, per type of file. */
const DATE_FIELDS = ['date', 'updated'] as const;

const articleSchema = z
  .object({
    type: z.literal('article').optional(),
    title: articleRules.title,
    slug: slug.optional(),
    // Earlier slugs of the article: a file whose slug changed names its old one here, so the
    // import updates the article (and the old URL keeps answering) instead of adding a second.
    previousSlugs: z.array(slug).max(50).default([]),
    date: instant.nullish(),
    updated: instant.nullish(),
    status: z
      .enum(['published', 'draft', 'archived', 'PUBLISHED', 'DRAFT', 'ARCHIVED'])
      .default('draft')
      .transform(value => value.toUpperCase() as ArticleStatus),
    locale: articleRules.locale.default('en'),
    authors: z.array(reference).max(maxAuthors).default([]),
    tags: z.array(reference).max(maxTags).default([]),
    image: articleRules.imageUrl,
    imageAlt: articleRules.imageAlt,
    imageCaption: articleRules.imageCaption,
    imageWidth: articleRules.imageWidth,
    imageHeight: articleRules.imageHeight,
    excerpt: articleRules.excerpt,
    featured: articleRules.featured.default(false),
    seoTitle: articleRules.seoTitle,
    seoDescription: articleRules.seoDescription,
    canonicalUrl: articleRules.canonicalUrl,
    translationKey: articleRules.translationKey,
  })
  .strict();

const authorSchema = z
  .object({
    type: z.literal('author'),
    slug,
    name: nameRules.name,
    avatar: nameRules.avatarUrl,
    names: nameRules.names,
  })
  .strict();

const tagSchema = z
  .object({
    type: z.literal('tag'),
    slug,
    name: nameRules.name,
    names: nameRules.names,
  })
  .strict();

type ParsedArticle = z.infer<typeof articleSchema> & { slug: string; body: string };
type ParsedAuthor = z.infer<typeof authorSchema> & { bio: string | null };
type ParsedTag = z.infer<typeof tagSchema> & { description: string | null };

/** A file that can be imported, with its warnings (which do not stop it). */
export type Parsed = (
  | { kind: 'article'; file: string; value: ParsedArticle }
  | { kind: 'author'; file: string; value: ParsedAuthor }
  | { kind: 'tag'; file: string; value: ParsedTag }
) & { slugLine: number | null; warnings: ImportProblem[] };

/** A file that cannot be imported: every error found in it, and its warnings. */
export interface Refused {
  file: string;
  errors: ImportProblem[];
  warnings: ImportProblem[];
}

/** "tags", ["tags", 2] -> "tags (item 3)", for messages about a list's item. */
function fieldName(issuePath: readonly PropertyKey[]): string {
  const [key, item] = issuePath;
  return typeof item === 'number' ? `${String(key)} (item ${item + 1})` : String(key);
}

/** Zod's issues as problems, one per field (an unknown key each on its own line). */
function schemaProblems(
  error: z.ZodError,
  frontMatter: FrontMatter,
  known: readonly string[],
): { line: number | null; message: string }[] {
  return error.issues.flatMap(issue => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(key => {
        const near = known.find(name => name.toLowerCase() === key.toLowerCase());
        return {
          line: frontMatter.lineOf([key]),
          message: `${key}: unknown field${near ? ` (did you mean ${near}?)` : ''}`,
        };
      });
    }
    if (issue.path.length === 0) return [{ line: null, message: issue.message }];
    return [
      {
        line: frontMatter.lineOf(issue.path),
        message: `${fieldName(issue.path)}: ${issue.message}`,
      },
    ];
  });
}

/**
 * Reads the date fields strictly (js-yaml reads an unquoted 2026-13-45 as 2027-02-14): from the
 * text as written where YAML made a Date of it, from the string where it was quoted. Returns the
 * data with the dates as Date objects (a bad one left out) and a problem for each bad one.
 */
function readDates(frontMatter: FrontMatter): {
  data: Record<string, unknown>;
  problems: { line: number | null; message: string }[];
} {
  const data = { ...frontMatter.data };
  const problems: { line: number | null; message: string }[] = [];
  for (const field of DATE_FIELDS) {
    const value = data[field];
    if (value == null) continue;
    // Where the key is not on a line of its own (a YAML merge key), the Date is all there is.
    const written = value instanceof Date ? frontMatter.rawValueOf(field) : String(value);
    if (written === null) continue;
    const result = parseInstant(written);
    if (result.ok) {
      data[field] = result.value;
    } else {
      delete data[field];
      problems.push({ line: frontMatter.lineOf([field]), message: `${field}: ${result.reason}` });
    }
  }
  return { data, problems };
}

/**
 * Parses and validates one file and reports every error in it at once, each with the line of its
 * key, and its warnings (local images that are not in `options.mediaDir`).
 */
export function parseContentFile(file: ContentFile, options: ImportOptions = {}): Parsed | Refused {
  const frontMatter = readFrontMatter(file.text);
  if (!('data' in frontMatter)) {
    return { file: file.name, errors: [{ file: file.name, ...frontMatter }], warnings: [] };
  }
  const at = (found: { line: number | null; message: string }): ImportProblem => ({
    file: file.name,
    ...found,
  });
  const warnings = options.mediaDir ? missingMedia(frontMatter, options.mediaDir).map(at) : [];
  const dates = readDates(frontMatter);
  const errors = dates.problems.map(at);
  const content = frontMatter.content.trim();
  const type = frontMatter.data.type;
  const schema = type === 'author' ? authorSchema : type === 'tag' ? tagSchema : articleSchema;
  const result = schema.safeParse(dates.data);
  if (!result.success) {
    errors.push(...schemaProblems(result.error, frontMatter, Object.keys(schema.shape)).map(at));
  }
  const slugLine = frontMatter.lineOf(['slug']) ?? frontMatter.lineOf(['title']);

  if (type === 'author' || type === 'tag') {
    if (!result.success || errors.length) {
      return { file: file.name, errors: sortByLine(errors), warnings };
    }
    if (type === 'author') {
      const value = { ...(result.data as z.infer<typeof authorSchema>), bio: content || null };
      return { kind: 'author', file: file.name, value, slugLine, warnings };
    }
    const value = { ...(result.data as z.infer<typeof tagSchema>), description: content || null };
    return { kind: 'tag', file: file.name, value, slugLine, warnings };
  }

  // Checks across fields, made on what was written even where another field is wrong.
  const { data } = frontMatter;
  const published = typeof data.status === 'string' && data.status.toLowerCase() === 'published';
  if (published && data.date == null) {
    errors.push(
      at({
        line: frontMatter.lineOf(['date']) ?? frontMatter.lineOf(['status']),
        message: 'date: a published article needs a date',
      }),
    );
  }
  const title = typeof data.title === 'string' ? data.title : '';
  if (data.slug === undefined && title.trim() && !madeSlug(title)) {
    errors.push(
      at({ line: frontMatter.lineOf(['title']), message: 'title: no slug can be made from it' }),
    );
  }
  if (!content) {
    errors.push(at({ line: frontMatter.bodyLine, message: 'the article has no body' }));
  }
  if (!result.success || errors.length) {
    return { file: file.name, errors: sortByLine(errors), warnings };
  }
  const value = result.data as z.infer<typeof articleSchema>;
  return {
    kind: 'article',
    file: file.name,
    value: { ...value, slug: value.slug ?? (madeSlug(value.title) as string), body: content },
    slugLine,
    warnings,
  };
}

function sortByLine(problems: ImportProblem[]): ImportProblem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** Reads a Markdown file, or every .md file below a folder, sorted by path. */
export function readContentFiles(target: string): ContentFile[] {
  const stat = fs.statSync(target);
  if (stat.isFile()) return [{ name: target, text: fs.readFileSync(target, 'utf8') }];
  return fs
    .readdirSync(target, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile() && entry.name.endsWith('.md') && entry.name !== 'README.md')
    .map(entry => path.join(entry.parentPath, entry.name))
    .sort()
    .map(name => ({ name, text: fs.readFileSync(name, 'utf8') }));
}

/** "anna-berger" or "Anna Berger" -> the author's or tag's slug and a display name. */
function referenceOf(value: string): { slug: string; name: string } {
  const isSlug = /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value);
  const name = isSlug
    ? value
        .split('-')
        .map(part => part.charAt(0).toUpperCase() + part.slice(1))
        .join(' ')
    : value;
  return { slug: isSlug ? value : slugOf(value), name };
}

/**
 * The stored article a file is about: the one whose current or earlier slug is the file's slug,
 * else the one that has one of its previousSlugs.
 */
async function articleOfFile(
  manager: EntityManager,
  value: ParsedArticle,
): Promise<Article | null> {
  for (const candidate of [value.slug, ...value.previousSlugs]) {
    const owner = await slugOwner(manager, candidate);
    if (owner !== null) return manager.findOneBy(Article, { internalId: owner });
  }
  return null;
}

async function upsertArticle(
  manager: EntityManager,
  value: ParsedArticle,
  now: Date,
  report: ImportReport,
  revisionsKept: number,
): Promise<void> {
  const existing = await articleOfFile(manager, value);
  const authors: { internalId: number }[] = [];
  for (const ref of value.authors.map(referenceOf)) {
    authors.push(await upsertAuthor(manager, ref, false, report.authors, now));
  }
  const tags: { internalId: number }[] = [];
  for (const ref of value.tags.map(referenceOf)) {
    tags.push(await upsertTag(manager, ref, false, report.tags, now));
  }
  const values: ArticleValues = {
    title: value.title,
    slug: value.slug,
    locale: value.locale,
    status: value.status,
    featured: value.featured,
    publishedAt: value.date ?? null,
    body: value.body,
    excerpt: value.excerpt ?? null,
    imageUrl: value.image ?? null,
    imageAlt: value.imageAlt ?? null,
    imageCaption: value.imageCaption ?? null,
    imageWidth: value.imageWidth ?? null,
    imageHeight: value.imageHeight ?? null,
    seoTitle: value.seoTitle ?? null,
    seoDescription: value.seoDescription ?? null,
    canonicalUrl: value.canonicalUrl ?? null,
    translationKey: value.translationKey ?? null,
  };
  const { article } = await saveArticle(manager, {
    existing,
    values,
    links: {
      authorIds: authors.map(author => author.internalId),
      tagIds: tags.map(tag => tag.internalId),
    },
    updatedAt: value.updated ?? value.date ?? now,
    now,
    actor: { tokenName: null, operation: 'import' },
    revisionsKept,
  });
  const earlier = value.previousSlugs.filter(slug => slug !== value.slug);
  const taken = await keepEarlierSlugs(manager, article.internalId, earlier, now);
  if (taken.length) {
    throw new InvalidFieldError(
      'previousSlugs',
      `${taken.join(', ')} ${taken.length === 1 ? 'is a slug' : 'are slugs'} of another article`,
    );
  }
  report.articles[existing ? 'updated' : 'created'] += 1;
}

/**
 * Imports content files: authors and tags first, then articles, each file in its own transaction
 * with its change events (src/content/changes/),
 * idempotent by slug (a re-import updates, never duplicates). A file with an error is reported
 * with every error in it and nothing of it is written; the other files are imported. Warnings
 * (a local image missing from `options.mediaDir`) are reported and do not stop a file.
 */
export async function importContent(
  db: DataSource,
  files: readonly ContentFile[],
  now: Date = new Date(),
  options: ImportOptions = {},
): Promise<ImportReport> {
  const report = emptyReport();
  report.files.read = files.length;
  const parsed: Parsed[] = [];
  const seen = new Map<string, string>();
  const refused = new Set<string>();
  for (const file of files) {
    const result = parseContentFile(file, options);
    report.warnings.push(...result.warnings);
    if (!('kind' in result)) {
      report.problems.push(...result.errors);
      refused.add(file.name);
      continue;
    }
    const key = `${result.kind}:${result.value.slug}`;
    const first = seen.get(key);
    if (first) {
      report.problems.push({
        file: file.name,
        line: result.slugLine,
        message: `slug: ${result.value.slug} is already used by ${first}`,
      });
      refused.add(file.name);
      continue;
    }
    seen.set(key, file.name);
    parsed.push(result);
  }
  const order = { author: 0, tag: 1, article: 2 };
  parsed.sort((a, b) => order[a.kind] - order[b.kind]);
  for (const item of parsed) {
    // Counted apart and added only once the file's transaction has committed.
    const counts = emptyReport();
    try {
      await contentTransaction(db, async manager => {
        if (item.kind === 'author') {
          await upsertAuthor(manager, item.value, true, counts.authors, now);
        } else if (item.kind === 'tag')
          await upsertTag(manager, item.value, true, counts.tags, now);
        else await upsertArticle(manager, item.value, now, counts, options.revisionsKept ?? 50);
      });
      for (const kind of ['articles', 'authors', 'tags'] as const) {
        report[kind].created += counts[kind].created;
        report[kind].updated += counts[kind].updated;
      }
    } catch (error) {
      report.problems.push(
        error instanceof InvalidFieldError
          ? {
              file: item.file,
              line: error.field === 'slug' ? item.slugLine : null,
              message: error.message,
            }
          : { file: item.file, line: null, message: `not written: ${(error as Error).message}` },
      );
      refused.add(item.file);
    }
  }
  report.files.notImported = refused.size;
  report.files.imported = files.length - refused.size;
  // In the order the files were given, each file's problems by line.
  const position = new Map(files.map((file, index) => [file.name, index]));
  const byFile = (a: ImportProblem, b: ImportProblem) =>
    (position.get(a.file) ?? 0) - (position.get(b.file) ?? 0) || (a.line ?? 0) - (b.line ?? 0);
  report.problems.sort(byFile);
  report.warnings.sort(byFile);
  return report;
}
