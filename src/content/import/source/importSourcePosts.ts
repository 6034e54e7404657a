import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { articleIdOfOrigin, normalizeOldPath, recordOrigin } from './articleOrigins';
import type { SkippedItem, SourceAuthor, SourcePost, SourceTag } from './sourcePost';
import { Article } from '../../../entities/Article';
import { Author } from '../../../entities/Author';
import { Tag } from '../../../entities/Tag';
import { contentTransaction } from '../../changes/contentTransaction';
import { articleRules, maxAuthors, maxTags, nameRules } from '../../editorial/articleRules';
import { InvalidFieldError } from '../../editorial/InvalidFieldError';
import { saveArticle } from '../../editorial/saveArticle';
import { type Counts, upsertAuthor, upsertTag } from '../upsertNames';

/** What a parser hands over: a post to write, or an item it skipped and why. */
export type SourceItem = { post: SourcePost } | { skipped: SkippedItem };

/** Something about one source item: its id and line in the export, and what happened. */
export interface SourceProblem {
  sourceId: string | null;
  line: number | null;
  message: string;
}

export interface SourceImportReport {
  articles: Counts & { unchanged: number };
  authors: Counts & { unchanged: number };
  tags: Counts & { unchanged: number };
  /** Old paths remembered for redirects (article_old_path rows written or kept). */
  oldPaths: number;
  skipped: SkippedItem[];
  /** Posts not written (nothing of them): invalid values, a slug another article holds. */
  refused: SourceProblem[];
  /** Written, with something to look at (an unknown shortcode kept as text, an old path taken). */
  warnings: SourceProblem[];
  dryRun: boolean;
}

export interface SourceImportOptions {
  /** Revisions kept per article (REVISIONS_KEPT). */
  revisionsKept: number;
  now?: Date;
  /** Runs every write, then rolls each back: the full report, nothing stored. */
  dryRun?: boolean;
  /** Called after each item, with the number of items done. */
  onProgress?: (done: number) => void;
}

const valuesSchema = z.object({
  title: articleRules.title,
  slug: articleRules.slug,
  locale: articleRules.locale,
  body: articleRules.body,
  excerpt: articleRules.excerpt,
  imageUrl: articleRules.imageUrl,
  imageAlt: articleRules.imageAlt,
  imageCaption: articleRules.imageCaption,
  imageWidth: articleRules.imageWidth,
  imageHeight: articleRules.imageHeight,
  seoTitle: articleRules.seoTitle,
  seoDescription: articleRules.seoDescription,
  canonicalUrl: articleRules.canonicalUrl,
  translationKey: articleRules.translationKey,
});
const authorSchema = z.object({
  slug: nameRules.slug,
  name: nameRules.name,
  bio: nameRules.bio,
  avatarUrl: nameRules.avatarUrl,
});
const tagSchema = z.object({
  slug: nameRules.slug,
  name: nameRules.name,
  description: nameRules.description,
});

/** Every rule a post breaks, one message each ("values.slug: expected ..."); empty when none. */
function problemsOf(post: SourcePost): string[] {
  const problems: string[] = [];
  const check = (schema: z.ZodTypeAny, value: unknown, where: string) => {
    const result = schema.safeParse(value);
    if (result.success) return;
    for (const issue of result.error.issues) {
      problems.push(`${[where, ...issue.path].join('.')}: ${issue.message}`);
    }
  };
  check(valuesSchema, post.values, 'values');
  if (post.authors.length > maxAuthors) problems.push(`authors: more than ${maxAuthors}`);
  if (post.tags.length > maxTags) problems.push(`tags: more than ${maxTags}`);
  post.authors.forEach((author, index) => check(authorSchema, author, `authors.${index}`));
  post.tags.forEach((tag, index) => check(tagSchema, tag, `tags.${index}`));
  return problems;
}

const busyAttempts = 10;

/** SQLite's "database is locked" (SQLITE_BUSY), directly or as TypeORM's QueryFailedError. */
function isBusy(error: unknown): boolean {
  const { code, driverError } = (error ?? {}) as {
    code?: unknown;
    driverError?: { code?: unknown };
  };
  return code === 'SQLITE_BUSY' || driverError?.code === 'SQLITE_BUSY';
}

/** Thrown at the end of a dry run's transaction, so everything it wrote is rolled back. */
class DryRunRollback extends Error {}

/** Names written once per run: the first post that names an author or tag writes it. */
interface Seen {
  authors: Set<string>;
  tags: Set<string>;
  /** slug -> the source id of the post of this run that holds it. */
  slugs: Map<string, string>;
  /**
   * Old path -> the source id of the post of this run that holds it: a dry run rolls each post
   * back, so the database cannot tell it that an earlier post of the run took a path.
   */
  paths: Map<string, string>;
}

function emptySourceReport(dryRun: boolean): SourceImportReport {
  return {
    articles: { created: 0, updated: 0, unchanged: 0 },
    authors: { created: 0, updated: 0, unchanged: 0 },
    tags: { created: 0, updated: 0, unchanged: 0 },
    oldPaths: 0,
    skipped: [],
    refused: [],
    warnings: [],
    dryRun,
  };
}

/** The author of the post, written where it is new or differs from what is stored. */
async function writeAuthor(
  manager: EntityManager,
  author: SourceAuthor,
  counts: SourceImportReport['authors'],
  now: Date,
): Promise<number> {
  const stored = await manager.findOneBy(Author, { slug: author.slug });
  if (
    stored &&
    stored.name === author.name &&
    stored.bio === author.bio &&
    stored.avatarUrl === author.avatarUrl
  ) {
    counts.unchanged += 1;
    return stored.internalId;
  }
  // upsertAuthor names the picture `avatar` (the front matter's name); SourceAuthor `avatarUrl`.
  const values = { ...author, avatar: author.avatarUrl };
  return (await upsertAuthor(manager, values, true, counts, now)).internalId;
}

/** The tag of the post, written where it is new or differs from what is stored. */
async function writeTag(
  manager: EntityManager,
  tag: SourceTag,
  counts: SourceImportReport['tags'],
  now: Date,
): Promise<number> {
  const stored = await manager.findOneBy(Tag, { slug: tag.slug });
  if (stored && stored.name === tag.name && stored.description === tag.description) {
    counts.unchanged += 1;
    return stored.internalId;
  }
  return (await upsertTag(manager, tag, true, counts, now)).internalId;
}

/** One post in one transaction: its authors and tags, the article, its origin and old paths. */
async function writePost(
  manager: EntityManager,
  post: SourcePost,
  seen: Seen,
  report: SourceImportReport,
  options: SourceImportOptions & { now: Date },
): Promise<void> {
  const { now } = options;
  const authorIds: number[] = [];
  for (const author of post.authors) {
    const counts = { created: 0, updated: 0, unchanged: 0 };
    authorIds.push(await writeAuthor(manager, author, counts, now));
    if (!seen.authors.has(author.slug)) addCounts(report.authors, counts);
  }
  const tagIds: number[] = [];
  for (const tag of post.tags) {
    const counts = { created: 0, updated: 0, unchanged: 0 };
    tagIds.push(await writeTag(manager, tag, counts, now));
    if (!seen.tags.has(tag.slug)) addCounts(report.tags, counts);
  }
  const key = { source: post.source, site: post.site, sourceId: post.sourceId };
  const existingId = await articleIdOfOrigin(manager, key);
  const existing =
    existingId === null ? null : await manager.findOneBy(Article, { internalId: existingId });
  const { article, changed } = await saveArticle(manager, {
    existing,
    values: post.values,
    links: { authorIds, tagIds },
    updatedAt: post.updatedAt ?? post.values.publishedAt ?? now,
    now,
    actor: { tokenName: null, operation: `import:${post.source}` },
    revisionsKept: options.revisionsKept,
  });
  const taken = await recordOrigin(
    manager,
    article.internalId,
    { ...key, url: post.url, oldPaths: post.oldPaths },
    now,
  );
  // Counted as stored: a guid https://old.example.org/?p=12 and /?p=12 are one path.
  const pathCount = pathsOf(post).length;
  if (options.dryRun) {
    for (const path of pathsOf(post)) {
      const holder = seen.paths.get(path);
      if (holder !== undefined && holder !== post.sourceId && !taken.includes(path))
        taken.push(path);
    }
  }
  report.oldPaths += pathCount - taken.length;
  for (const path of taken) {
    report.warnings.push(problem(post, `old path ${path} already leads to another article`));
  }
  for (const path of pathsOf(post)) {
    if (!taken.includes(path) && !seen.paths.has(path)) seen.paths.set(path, post.sourceId);
  }
  report.articles[existing ? (changed.length ? 'updated' : 'unchanged') : 'created'] += 1;
}

/** The post's URL and old paths as article_old_path keeps them. */
function pathsOf(post: SourcePost): string[] {
  const paths = new Set<string>();
  for (const candidate of [...(post.url ? [post.url] : []), ...post.oldPaths]) {
    const path = normalizeOldPath(candidate);
    if (path !== null && path !== '/') paths.add(path);
  }
  return [...paths];
}

function addCounts<T extends Record<string, number>>(into: T, add: T): void {
  for (const name of Object.keys(add) as (keyof T)[]) {
    (into[name] as number) += add[name];
  }
}

function problem(post: SourcePost, message: string): SourceProblem {
  return { sourceId: post.sourceId, line: post.line, message };
}

/**
 * Imports the posts a parser reads from another system (src/content/import/wordpress/,
 * src/content/import/ghost/): each post in its own transaction with its change events, through
 * the editorial write path (saveArticle), idempotent by the post's source key (a re-import
 * updates the article it made, or leaves it unchanged, and never duplicates). A post that breaks
 * a rule, or whose slug another article holds, is refused with its id and line and nothing of it
 * is written; the others are imported. With dryRun every write runs and is rolled back.
 */
export async function importSourcePosts(
  db: DataSource,
  items: AsyncIterable<SourceItem> | Iterable<SourceItem>,
  options: SourceImportOptions,
): Promise<SourceImportReport> {
  const now = options.now ?? new Date();
  const dryRun = options.dryRun ?? false;
  const report = emptySourceReport(dryRun);
  const seen: Seen = { authors: new Set(), tags: new Set(), slugs: new Map(), paths: new Map() };
  let done = 0;
  for await (const item of items) {
    done += 1;
    if ('skipped' in item) {
      report.skipped.push(item.skipped);
      options.onProgress?.(done);
      continue;
    }
    const { post } = item;
    const problems = problemsOf(post);
    const holder = seen.slugs.get(post.values.slug);
    if (holder !== undefined && holder !== post.sourceId) {
      problems.push(`values.slug: ${post.values.slug} is also the slug of post ${holder}`);
    }
    if (problems.length) {
      report.refused.push(problem(post, problems.join('; ')));
      options.onProgress?.(done);
      continue;
    }
    let counts = emptySourceReport(dryRun);
    try {
      for (let attempt = 1; ; attempt += 1) {
        counts = emptySourceReport(dryRun);
        try {
          await contentTransaction(db, async manager => {
            await writePost(manager, post, seen, counts, { ...options, now });
            if (dryRun) throw new DryRunRollback();
          });
          break;
        } catch (error) {
          if (!isBusy(error) || attempt >= busyAttempts) throw error;
          // SQLite answers BUSY at once (no busy timeout) when a transaction that has read must
          // write after another connection (the running gateway's view flusher) wrote.
          await new Promise(resolve => setTimeout(resolve, 20 * attempt));
        }
      }
    } catch (error) {
      if (!(error instanceof DryRunRollback)) {
        const message =
          error instanceof InvalidFieldError
            ? `values.${error.field}: ${error.message}`
            : `not written: ${(error as Error).message}`;
        report.refused.push(problem(post, message));
        options.onProgress?.(done);
        continue;
      }
    }
    for (const kind of ['articles', 'authors', 'tags'] as const) {
      addCounts(report[kind], counts[kind]);
    }
    report.oldPaths += counts.oldPaths;
    report.warnings.push(...counts.warnings, ...post.warnings.map(text => problem(post, text)));
    for (const author of post.authors) seen.authors.add(author.slug);
    for (const tag of post.tags) seen.tags.add(tag.slug);
    seen.slugs.set(post.values.slug, post.sourceId);
    options.onProgress?.(done);
  }
  return report;
}
