import type { EntityManager } from 'typeorm';
import type { ArticleValues } from './articleColumns';
import type { ArticleLinks } from './articleLinks';
import { SqlParams, dialectOf } from '../../db/dialect';
import { ArticleRevision } from '../../entities/ArticleRevision';
import type { ArticleStatus } from '../../entities/enums';

/** An article's editable state, as a revision keeps it: its values and its ordered links. */
export type ArticleSnapshot = ArticleValues & ArticleLinks;

/** Who wrote a change and through which operation. */
export interface Actor {
  /** The API token's name; null for the Markdown import on the gateway's machine. */
  tokenName: string | null;
  operation: string;
}

/** The fields that differ between two snapshots, in the snapshot's order. */
export function changedFields(before: ArticleSnapshot | null, after: ArticleSnapshot): string[] {
  const keys = Object.keys(after) as (keyof ArticleSnapshot)[];
  if (!before) return keys;
  return keys.filter(key => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/** A snapshot as JSON (dates as ISO strings), and back. */
export function snapshotJson(snapshot: ArticleSnapshot): string {
  return JSON.stringify({ ...snapshot, publishedAt: snapshot.publishedAt?.toISOString() ?? null });
}

export function parseSnapshot(json: string): ArticleSnapshot {
  const raw = JSON.parse(json) as Omit<ArticleSnapshot, 'publishedAt'> & {
    publishedAt: string | null;
    status: ArticleStatus;
  };
  return { ...raw, publishedAt: raw.publishedAt === null ? null : new Date(raw.publishedAt) };
}

/**
 * Keeps revision `revision` of an article and drops those older than the last `kept`: two
 * statements, whatever the number of revisions.
 */
export async function recordRevision(
  manager: EntityManager,
  entry: {
    articleId: number;
    revision: number;
    at: Date;
    actor: Actor;
    fields: string[];
    snapshot: ArticleSnapshot;
  },
  kept: number,
): Promise<void> {
  await manager.insert(ArticleRevision, {
    articleId: entry.articleId,
    revision: entry.revision,
    createdAt: entry.at,
    tokenName: entry.actor.tokenName,
    operation: entry.actor.operation,
    fieldsChanged: entry.fields.join(',').slice(0, 1000),
    snapshotJson: snapshotJson(entry.snapshot),
  });
  const params = new SqlParams(dialectOf(manager.connection));
  await manager.query(
    `DELETE FROM article_revision WHERE article_id = ${params.add(entry.articleId)} AND revision <= ${params.add(entry.revision - kept)}`,
    params.values,
  );
}

/** One kept revision of an article; null where it was never made or is no longer kept. */
export function findRevision(
  manager: EntityManager,
  articleId: number,
  revision: number,
): Promise<ArticleRevision | null> {
  return manager.findOneBy(ArticleRevision, { articleId, revision });
}
