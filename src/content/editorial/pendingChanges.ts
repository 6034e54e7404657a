import type { EntityManager } from 'typeorm';
import { articleColumns, type ArticleValues } from './articleColumns';
import type { ArticleLinks } from './articleLinks';
import {
  type Actor,
  type ArticleSnapshot,
  parseSnapshot,
  recordRevision,
  snapshotJson,
} from './revisions';
import { type Dialect, dialectOf, SqlParams } from '../../db/dialect';
import type { Article } from '../../entities/Article';

/**
 * The pending change of a published article: its newest unpublished revision (README "Preview").
 * The public article stays as it is until publishArticle applies it; a preview shows it.
 */
export interface PendingChange {
  articleId: number;
  /** The revision number it was recorded as; one more than the article's, or more. */
  revision: number;
  updatedAt: Date;
  /** The editable values and ordered links, as a revision keeps them. */
  snapshot: ArticleSnapshot;
  /** What is derived from the values, on write: HTML, text, headings, counts, excerpt. */
  columns: Partial<Article>;
}

/** A statement runner: the write's EntityManager or a request's Sql. */
interface Runner {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/** The article's pending change; null where it has none. One statement. */
export async function readPendingChange(
  runner: Runner,
  dialect: Dialect,
  articleId: number,
): Promise<PendingChange | null> {
  const params = new SqlParams(dialect);
  const rows = (await runner.query(
    `SELECT revision, updated_at, snapshot_json, columns_json FROM article_pending WHERE article_id = ${params.add(articleId)}`,
    params.values,
  )) as Record<string, unknown>[];
  const row = rows[0];
  if (!row) return null;
  return {
    articleId,
    revision: Number(row.revision),
    updatedAt: new Date(Number(row.updated_at)),
    snapshot: parseSnapshot(String(row.snapshot_json)),
    columns: JSON.parse(String(row.columns_json)) as Partial<Article>,
  };
}

/** The pending change's revision in a write's transaction; null where it has none. */
export async function pendingRevisionOf(
  manager: EntityManager,
  articleId: number,
): Promise<number | null> {
  return (
    (await readPendingChange(manager, dialectOf(manager.connection), articleId))?.revision ?? null
  );
}

/**
 * Keeps a change of a published article as its pending change, revision `revision`, inside the
 * caller's transaction: derives the stored columns once (as saveArticle does for the article),
 * replaces an earlier pending change and keeps a revision of what changed. The article's own row,
 * links, search text and earlier slugs stay untouched: nothing public changes.
 */
export async function writePendingChange(
  manager: EntityManager,
  change: {
    article: Article;
    values: ArticleValues;
    links: ArticleLinks;
    revision: number;
    replaces: boolean;
    changed: string[];
    now: Date;
    actor: Actor;
    revisionsKept: number;
  },
): Promise<PendingChange> {
  const { article, now } = change;
  // Status and publication date are the article's: a pending change changes content only.
  const values = { ...change.values, status: article.status, publishedAt: article.publishedAt };
  const snapshot: ArticleSnapshot = { ...values, ...change.links };
  const {
    status: _status,
    publishedAt: _publishedAt,
    updatedAt: _updatedAt,
    ...columns
  } = articleColumns(values, now).columns;
  const params = new SqlParams(dialectOf(manager.connection));
  const id = params.add(article.internalId);
  const revision = params.add(change.revision);
  const at = params.add(now.getTime());
  const snapshotText = params.add(snapshotJson(snapshot));
  const columnsText = params.add(JSON.stringify(columns));
  await manager.query(
    change.replaces
      ? `UPDATE article_pending SET revision = ${revision}, updated_at = ${at}, snapshot_json = ${snapshotText}, columns_json = ${columnsText} WHERE article_id = ${id}`
      : `INSERT INTO article_pending (article_id, revision, updated_at, snapshot_json, columns_json) VALUES (${id}, ${revision}, ${at}, ${snapshotText}, ${columnsText})`,
    params.values,
  );
  await recordRevision(
    manager,
    {
      articleId: article.internalId,
      revision: change.revision,
      at: now,
      actor: change.actor,
      fields: change.changed,
      snapshot,
    },
    change.revisionsKept,
  );
  return {
    articleId: article.internalId,
    revision: change.revision,
    updatedAt: now,
    snapshot,
    columns,
  };
}

/** Forgets the article's pending change (applied or overwritten): its revisions stay. */
export async function deletePendingChange(
  manager: EntityManager,
  articleId: number,
): Promise<void> {
  const params = new SqlParams(dialectOf(manager.connection));
  await manager.query(
    `DELETE FROM article_pending WHERE article_id = ${params.add(articleId)}`,
    params.values,
  );
}

/**
 * Drops the article's pending change and its unpublished revisions (those after the article's
 * own revision), so the next write is the article's revision + 1 again.
 */
export async function discardPendingChange(
  manager: EntityManager,
  article: Article,
): Promise<void> {
  await deletePendingChange(manager, article.internalId);
  const params = new SqlParams(dialectOf(manager.connection));
  await manager.query(
    `DELETE FROM article_revision WHERE article_id = ${params.add(article.internalId)} AND revision > ${params.add(article.revision)}`,
    params.values,
  );
}

const shown = new WeakMap<Article, PendingChange>();

/**
 * The article as its pending change shows it: the pending values and derived columns over the
 * stored ones (status, publication date and `revision` stay the article's). The resolvers of
 * body, authors and tags ask pendingChangeOf for what they would otherwise load by id.
 */
export function withPendingChange(article: Article, pending: PendingChange): Article {
  Object.assign(article, pending.columns, { updatedAt: pending.updatedAt });
  article.detailsLoaded = true;
  shown.set(article, pending);
  return article;
}

/** The pending change an article object shows (withPendingChange); undefined for the public one. */
export function pendingChangeOf(article: Article): PendingChange | undefined {
  return shown.get(article);
}
