import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { dialectOf } from '../../db/dialect';
import { writeSearchDocument } from '../../db/search';
import { writeTransaction } from '../../db/writeTransaction';
import { Article } from '../../entities/Article';
import { ArticleAuthor } from '../../entities/ArticleAuthor';
import { ArticleTag } from '../../entities/ArticleTag';
import { Author } from '../../entities/Author';
import { ArticleStatus } from '../../entities/enums';
import { Tag } from '../../entities/Tag';
import { cutAtWord, renderMarkdown } from '../markdown';
import { searchDocument, slugOf, sortKey } from '../textFolding';

/** One Markdown file with front matter: its name (for reports) and its text. */
export interface ContentFile {
  name: string;
  text: string;
}

export interface ImportProblem {
  file: string;
  line: number | null;
  message: string;
}

export interface ImportReport {
  articles: { created: number; updated: number };
  authors: { created: number; updated: number };
  tags: { created: number; updated: number };
  problems: ImportProblem[];
}

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected lower-case letters, digits and single hyphens')
  .max(200);
const instant = z
  .union([z.date(), z.string().datetime({ offset: true })])
  .transform(value => new Date(value));
const optionalText = (max: number) => z.string().trim().min(1).max(max).nullish();
const reference = z.string().trim().min(1).max(200);

const articleSchema = z
  .object({
    type: z.literal('article').optional(),
    title: z.string().trim().min(1).max(500),
    slug: slug.optional(),
    date: instant.nullish(),
    updated: instant.nullish(),
    status: z
      .enum(['published', 'draft', 'archived', 'PUBLISHED', 'DRAFT', 'ARCHIVED'])
      .default('draft')
      .transform(value => value.toUpperCase() as ArticleStatus),
    locale: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a BCP 47 tag such as de or en-GB')
      .default('en'),
    authors: z.array(reference).max(20).default([]),
    tags: z.array(reference).max(50).default([]),
    image: optionalText(2000),
    imageAlt: optionalText(1000),
    imageCaption: optionalText(1000),
    imageWidth: z.number().int().positive().max(20_000).nullish(),
    imageHeight: z.number().int().positive().max(20_000).nullish(),
    excerpt: optionalText(1000),
    featured: z.boolean().default(false),
    seoTitle: optionalText(500),
    seoDescription: optionalText(1000),
    canonicalUrl: z.string().url().max(2000).nullish(),
  })
  .strict()
  .refine(value => value.status !== ArticleStatus.PUBLISHED || value.date != null, {
    message: 'a published article needs a date',
    path: ['date'],
  });

const authorSchema = z
  .object({
    type: z.literal('author'),
    slug,
    name: z.string().trim().min(1).max(300),
    avatar: optionalText(2000),
  })
  .strict();

const tagSchema = z
  .object({
    type: z.literal('tag'),
    slug,
    name: z.string().trim().min(1).max(300),
  })
  .strict();

type ParsedArticle = z.infer<typeof articleSchema> & { slug: string; body: string };
type ParsedAuthor = z.infer<typeof authorSchema> & { bio: string | null };
type ParsedTag = z.infer<typeof tagSchema> & { description: string | null };

type Parsed =
  | { kind: 'article'; file: string; value: ParsedArticle }
  | { kind: 'author'; file: string; value: ParsedAuthor }
  | { kind: 'tag'; file: string; value: ParsedTag };

/** The 1-based line of a front-matter key in a file, for reports; null if it is not there. */
function lineOfKey(text: string, key: string | undefined): number | null {
  if (!key) return null;
  const index = text.split('\n').findIndex(line => line.startsWith(`${key}:`));
  return index === -1 ? null : index + 1;
}

/** Parses and validates one file; a problem names the file and, where it can, the line. */
export function parseContentFile(file: ContentFile): Parsed | ImportProblem {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // A fresh options object keeps gray-matter from caching by content across calls.
    parsed = matter(file.text, {});
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    return {
      file: file.name,
      line: mark?.line != null ? mark.line + 2 : 1,
      message: `front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    };
  }
  const data = parsed.data as Record<string, unknown>;
  if (Object.keys(data).length === 0) {
    return {
      file: file.name,
      line: 1,
      message: 'no front matter: a file starts with --- and a title',
    };
  }
  const problem = (error: z.ZodError): ImportProblem => {
    const issue = error.issues[0];
    const key = issue.path[0] === undefined ? undefined : String(issue.path[0]);
    return {
      file: file.name,
      line: lineOfKey(file.text, key),
      message: key ? `${key}: ${issue.message}` : issue.message,
    };
  };
  const content = parsed.content.trim();
  if (data.type === 'author') {
    const result = authorSchema.safeParse(data);
    if (!result.success) return problem(result.error);
    return { kind: 'author', file: file.name, value: { ...result.data, bio: content || null } };
  }
  if (data.type === 'tag') {
    const result = tagSchema.safeParse(data);
    if (!result.success) return problem(result.error);
    return {
      kind: 'tag',
      file: file.name,
      value: { ...result.data, description: content || null },
    };
  }
  const result = articleSchema.safeParse(data);
  if (!result.success) return problem(result.error);
  const articleSlug = result.data.slug ?? slugOf(result.data.title);
  if (!articleSlug) {
    return {
      file: file.name,
      line: lineOfKey(file.text, 'title'),
      message: 'title: no slug can be made from it',
    };
  }
  if (!content) return { file: file.name, line: null, message: 'the article has no body' };
  return {
    kind: 'article',
    file: file.name,
    value: { ...result.data, slug: articleSlug, body: content },
  };
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

type Counts = { created: number; updated: number };

async function upsertAuthor(
  manager: EntityManager,
  values: { slug: string; name: string; bio?: string | null; avatar?: string | null },
  overwrite: boolean,
  counts: Counts,
): Promise<Author> {
  const repository = manager.getRepository(Author);
  const existing = await repository.findOneBy({ slug: values.slug });
  if (existing && !overwrite) return existing;
  const author = existing ?? repository.create({ slug: values.slug });
  author.name = values.name;
  author.sortName = sortKey(values.name);
  author.bio = values.bio ?? (existing ? existing.bio : null);
  author.avatarUrl = values.avatar ?? (existing ? existing.avatarUrl : null);
  counts[existing ? 'updated' : 'created'] += 1;
  return repository.save(author);
}

async function upsertTag(
  manager: EntityManager,
  values: { slug: string; name: string; description?: string | null },
  overwrite: boolean,
  counts: Counts,
): Promise<Tag> {
  const repository = manager.getRepository(Tag);
  const existing = await repository.findOneBy({ slug: values.slug });
  if (existing && !overwrite) return existing;
  const tag = existing ?? repository.create({ slug: values.slug });
  tag.name = values.name;
  tag.sortName = sortKey(values.name);
  tag.description = values.description ?? (existing ? existing.description : null);
  counts[existing ? 'updated' : 'created'] += 1;
  return repository.save(tag);
}

async function upsertArticle(
  manager: EntityManager,
  value: ParsedArticle,
  now: Date,
  report: ImportReport,
): Promise<void> {
  const repository = manager.getRepository(Article);
  const existing = await repository.findOneBy({ slug: value.slug });
  const rendered = renderMarkdown(value.body);
  const article = existing ?? repository.create({ slug: value.slug, createdAt: now });
  Object.assign(article, articleColumns(value, rendered, now));
  const saved = await repository.save(article);
  report.articles[existing ? 'updated' : 'created'] += 1;

  const authors: Author[] = [];
  for (const ref of value.authors.map(referenceOf)) {
    authors.push(await upsertAuthor(manager, ref, false, report.authors));
  }
  const tags: Tag[] = [];
  for (const ref of value.tags.map(referenceOf)) {
    tags.push(await upsertTag(manager, ref, false, report.tags));
  }
  await linkArticle(manager, saved.internalId, authors, tags);
  await writeSearchDocument(
    manager,
    dialectOf(manager.connection),
    saved.internalId,
    searchDocument(value.title),
    searchDocument(`${value.excerpt ?? ''}\n${rendered.text}`),
  );
}

/** An article's stored columns: what the file says, and what is derived from it once, on write. */
function articleColumns(
  value: ParsedArticle,
  rendered: ReturnType<typeof renderMarkdown>,
  now: Date,
): Partial<Article> {
  return {
    title: value.title,
    sortTitle: sortKey(value.title),
    locale: value.locale,
    status: value.status,
    featured: value.featured,
    publishedAt: value.date ?? null,
    updatedAt: value.updated ?? value.date ?? now,
    bodyMarkdown: value.body,
    bodyHtml: rendered.html,
    bodyText: rendered.text,
    headingsJson: JSON.stringify(rendered.headings),
    wordCount: rendered.wordCount,
    imageCount: rendered.imageCount,
    customExcerpt: value.excerpt ?? null,
    autoExcerpt: cutAtWord(rendered.firstParagraph || rendered.text),
    imageUrl: value.image ?? null,
    imageAlt: value.imageAlt ?? null,
    imageCaption: value.imageCaption ?? null,
    imageWidth: value.imageWidth ?? null,
    imageHeight: value.imageHeight ?? null,
    seoTitle: value.seoTitle ?? null,
    seoDescription: value.seoDescription ?? null,
    canonicalUrl: value.canonicalUrl ?? null,
  };
}

/** Sets an article's ordered authors and tags (the first is primary), each once. */
async function linkArticle(
  manager: EntityManager,
  articleId: number,
  authors: Author[],
  tags: Tag[],
): Promise<void> {
  await manager.delete(ArticleAuthor, { articleId });
  await manager.delete(ArticleTag, { articleId });
  const authorLinks = [...new Map(authors.map(author => [author.internalId, author])).values()];
  const tagLinks = [...new Map(tags.map(tag => [tag.internalId, tag])).values()];
  if (authorLinks.length) {
    await manager.insert(
      ArticleAuthor,
      authorLinks.map((author, position) => ({ articleId, authorId: author.internalId, position })),
    );
  }
  if (tagLinks.length) {
    await manager.insert(
      ArticleTag,
      tagLinks.map((tag, position) => ({ articleId, tagId: tag.internalId, position })),
    );
  }
}

function emptyReport(): ImportReport {
  return {
    articles: { created: 0, updated: 0 },
    authors: { created: 0, updated: 0 },
    tags: { created: 0, updated: 0 },
    problems: [],
  };
}

/**
 * Imports content files: authors and tags first, then articles, each file in its own transaction,
 * idempotent by slug (a re-import updates, never duplicates). A file with a problem is reported
 * and nothing of it is written; the others are imported.
 */
export async function importContent(
  db: DataSource,
  files: readonly ContentFile[],
  now: Date = new Date(),
): Promise<ImportReport> {
  const report = emptyReport();
  const parsed: Parsed[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const result = parseContentFile(file);
    if (!('kind' in result)) {
      report.problems.push(result);
      continue;
    }
    const key = `${result.kind}:${result.value.slug}`;
    const first = seen.get(key);
    if (first) {
      report.problems.push({
        file: file.name,
        line: lineOfKey(file.text, 'slug'),
        message: `slug: ${result.value.slug} is already used by ${first}`,
      });
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
      await writeTransaction(db, async manager => {
        if (item.kind === 'author') await upsertAuthor(manager, item.value, true, counts.authors);
        else if (item.kind === 'tag') await upsertTag(manager, item.value, true, counts.tags);
        else await upsertArticle(manager, item.value, now, counts);
      });
      for (const kind of ['articles', 'authors', 'tags'] as const) {
        report[kind].created += counts[kind].created;
        report[kind].updated += counts[kind].updated;
      }
    } catch (error) {
      report.problems.push({
        file: item.file,
        line: null,
        message: `not written: ${(error as Error).message}`,
      });
    }
  }
  return report;
}

/** A one-paragraph summary of a report for the command line. */
export function describeReport(report: ImportReport): string {
  const part = (name: string, counts: Counts) =>
    `${name}: ${counts.created} created, ${counts.updated} updated`;
  return [
    part('articles', report.articles),
    part('authors', report.authors),
    part('tags', report.tags),
  ].join('; ');
}
