import type { EntityManager } from 'typeorm';
import { cacheKeys } from './cacheKeys';
import type { ChangeEventArticle, ChangeEventType } from './changeEvent';
import { recordChange } from './recordChange';
import { dialectOf, SqlParams } from '../../db/dialect';
import { publicArticleCondition } from '../../db/reads/articleRows';
import type { Article } from '../../entities/Article';
import { ArticleStatus } from '../../entities/enums';
import { encodeGlobalId } from '../../relay/globalId';

/** What an event says about an article, before or after a change. */
export interface ArticleFacts {
  internalId: number;
  slug: string;
  locale: string;
  translationKey: string | null;
  status: ArticleStatus;
  publishedAt: Date | null;
  updatedAt: Date;
  authorIds: number[];
  tagIds: number[];
}

/** The facts of an article as read (copied: saveArticle changes the entity in place). */
export function articleFacts(
  article: Article,
  links: { authorIds: number[]; tagIds: number[] },
): ArticleFacts {
  return {
    internalId: article.internalId,
    slug: article.slug,
    locale: article.locale,
    translationKey: article.translationKey ?? null,
    status: article.status,
    publishedAt: article.publishedAt,
    updatedAt: article.updatedAt,
    authorIds: [...links.authorIds],
    tagIds: [...links.tagIds],
  };
}

/** The publishedAt an article.published event was recorded for (epoch ms), or null. */
async function announcedAt(manager: EntityManager, articleId: number): Promise<number | null> {
  const params = new SqlParams(dialectOf(manager.connection));
  const rows: { at: unknown }[] = await manager.query(
    `SELECT published_announced_at AS at FROM article WHERE internal_id = ${params.add(articleId)}`,
    params.values,
  );
  return rows[0]?.at == null ? null : Number(rows[0].at);
}

async function setAnnouncedAt(
  manager: EntityManager,
  articleId: number,
  at: number | null,
): Promise<void> {
  const params = new SqlParams(dialectOf(manager.connection));
  await manager.query(
    `UPDATE article SET published_announced_at = ${params.add(at)}
     WHERE internal_id = ${params.add(articleId)}`,
    params.values,
  );
}

/** The article part of an event (version 1). */
export function articlePayload(
  facts: ArticleFacts,
  previousSlug: string | null,
  updatedAt: Date,
  translations: readonly number[],
): ChangeEventArticle {
  return {
    id: encodeGlobalId('Article', facts.internalId),
    slug: facts.slug,
    previousSlug,
    locale: facts.locale,
    translationKey: facts.translationKey,
    translations: translations.map(other => encodeGlobalId('Article', other)),
    tags: facts.tagIds.map(tag => encodeGlobalId('Tag', tag)),
    authors: facts.authorIds.map(author => encodeGlobalId('Author', author)),
    status: facts.status,
    publishedAt: facts.publishedAt?.toISOString() ?? null,
    updatedAt: updatedAt.toISOString(),
  };
}

/**
 * The other versions of the story (same translation key, before or after the change), public at
 * `now`: their pages list this one for hreflang, so their keys go with the change.
 */
export async function translationsOf(
  manager: EntityManager,
  change: { before: ArticleFacts | null; after: ArticleFacts | null; now: Date },
): Promise<number[]> {
  const id = (change.after ?? change.before)!.internalId;
  const translationKeys = [
    ...new Set([change.before?.translationKey, change.after?.translationKey]),
  ].filter((key): key is string => key != null);
  if (translationKeys.length === 0) return [];
  const params = new SqlParams(dialectOf(manager.connection));
  const rows: { id: unknown }[] = await manager.query(
    `SELECT a.internal_id AS id FROM article a
     WHERE a.translation_key IN ${params.list(translationKeys)}
       AND a.internal_id <> ${params.add(id)}
       AND ${publicArticleCondition(params, change.now)}
     ORDER BY a.internal_id`,
    params.values,
  );
  return rows.map(row => Number(row.id));
}

/** Public at `now`: published with a date that has come. */
function isPublic(facts: ArticleFacts | null, now: Date): boolean {
  return (
    facts !== null &&
    facts.status === ArticleStatus.PUBLISHED &&
    facts.publishedAt !== null &&
    facts.publishedAt.getTime() <= now.getTime()
  );
}

/**
 * The keys an article change invalidates: where the public saw (or sees) the article, the
 * article, its old and new slugs, every list, each old and new tag and author, the rankings
 * and the feeds; a change of a draft nobody public saw touches only the article's own key.
 */
export function articleKeys(
  before: ArticleFacts | null,
  after: ArticleFacts | null,
  publicChange: boolean,
): string[] {
  const id = (after ?? before)!.internalId;
  if (!publicChange) return [cacheKeys.article(id)];
  const keys = new Set<string>([cacheKeys.article(id)]);
  for (const facts of [before, after]) if (facts) keys.add(cacheKeys.slug(facts.slug));
  keys.add(cacheKeys.articleLists);
  for (const facts of [before, after]) facts?.tagIds.forEach(tag => keys.add(cacheKeys.tag(tag)));
  for (const facts of [before, after]) {
    facts?.authorIds.forEach(author => keys.add(cacheKeys.author(author)));
  }
  keys.add(cacheKeys.rankings);
  keys.add(cacheKeys.feeds);
  return [...keys];
}

/**
 * Records the one event of an article write, in its transaction: `article.published` where it
 * becomes public (now, or a scheduled time that has passed unannounced), `article.unpublished`
 * where it stops being public (draft, archived, or moved to a later time), `article.deleted`
 * where `after` is null, else `article.updated`. Keeps published_announced_at in step, so the
 * schedule announces a publication only where no write did (announcePublications).
 */
export async function recordArticleChange(
  manager: EntityManager,
  change: { before: ArticleFacts | null; after: ArticleFacts | null; now: Date },
): Promise<void> {
  const { before, after, now } = change;
  const id = (after ?? before)!.internalId;
  const announced = before ? await announcedAt(manager, id) : null;
  // Public before: an article.published was recorded for its current date (a scheduled time
  // that passed but was not yet announced counts as not public: the write announces it).
  const wasPublic =
    before !== null &&
    isPublic(before, now) &&
    announced !== null &&
    announced === before.publishedAt?.getTime();
  const nowPublic = isPublic(after, now);
  let type: ChangeEventType;
  if (after === null) type = 'article.deleted';
  else if (!wasPublic && nowPublic) type = 'article.published';
  else if (wasPublic && !nowPublic) type = 'article.unpublished';
  else type = 'article.updated';
  if (after) {
    const next = nowPublic ? after.publishedAt!.getTime() : null;
    if (next !== announced) await setAnnouncedAt(manager, id, next);
  }
  const facts = (after ?? before)!;
  // Public reads compare publishedAt with their own "now": a scheduled time that passed moments
  // ago and is not yet announced was visible, so its caches are invalidated too.
  const publicChange = wasPublic || nowPublic || isPublic(before, now);
  const translations = publicChange ? await translationsOf(manager, change) : [];
  const keys = articleKeys(before, after, publicChange);
  for (const other of translations) keys.push(cacheKeys.article(other));
  await recordChange(manager, {
    type,
    occurredAt: now.toISOString(),
    article: articlePayload(
      facts,
      before && after && before.slug !== after.slug ? before.slug : null,
      after ? facts.updatedAt : now,
      translations,
    ),
    keys,
    subject: { type: 'Article', id },
    publicChange,
  });
}
