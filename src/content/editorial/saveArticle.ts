import type { EntityManager } from 'typeorm';
import { articleColumns, type ArticleValues, valuesOf } from './articleColumns';
import { type ArticleLinks, readLinks, writeLinks } from './articleLinks';
import { InvalidFieldError } from './InvalidFieldError';
import { deletePendingChange, pendingRevisionOf } from './pendingChanges';
import { type Actor, changedFields, recordRevision } from './revisions';
import { moveSlug, slugOwner } from './slugHistory';
import { dialectOf } from '../../db/dialect';
import { writeSearchDocument } from '../../db/search';
import { Article } from '../../entities/Article';
import { articleFacts, recordArticleChange } from '../changes/articleChange';

export interface SaveArticle {
  /** The article as stored (read in this transaction), or null to create one. */
  existing: Article | null;
  values: ArticleValues;
  /** The new ordered links; undefined keeps the stored ones. */
  links?: ArticleLinks;
  /** The revision the change is based on; a different current one is a conflict (StaleRevision). */
  expectedRevision?: number;
  /** What updatedAt becomes where the caller says (the import's `updated`); else now, on a change. */
  updatedAt?: Date;
  now: Date;
  actor: Actor;
  /** Revisions kept per article (REVISIONS_KEPT). */
  revisionsKept: number;
  /**
   * The revision of the article's pending change, where the caller read it (undefined: read
   * here). A write of the article itself replaces a pending change (publishArticle applies it,
   * the import overwrites it): it is forgotten, and the new revision comes after it.
   */
  pendingRevision?: number | null;
}

/** A write refused because the article changed since the revision it was based on. */
export class StaleRevision extends Error {
  constructor(
    readonly current: Article,
    /** The newest revision: the pending change's where there is one, else the article's. */
    readonly currentRevision = current.revision,
  ) {
    super(`stale revision: the article is at revision ${currentRevision}`);
  }
}

/**
 * The one write path of an article, for the Markdown import and the editorial mutations alike,
 * inside the caller's transaction: checks the slug against every article's current and earlier
 * slugs, derives the stored columns once, moves the old slug into the history, sets the links,
 * writes the search text where title or body changed, and keeps a revision of what changed.
 * A change that changes nothing writes nothing and makes no revision; every other one records
 * its one change event (src/content/changes/articleChange.ts). Returns the article as
 * stored (detailsLoaded) and the names of the fields that changed.
 */
export async function saveArticle(
  manager: EntityManager,
  save: SaveArticle,
): Promise<{ article: Article; changed: string[] }> {
  const { existing, values, now } = save;
  const owner = await slugOwner(manager, values.slug);
  if (owner !== null && owner !== existing?.internalId) {
    throw new InvalidFieldError(
      'slug',
      `${values.slug} is the current or an earlier slug of another article`,
    );
  }
  const keyMoved =
    !existing ||
    existing.translationKey !== values.translationKey ||
    existing.locale !== values.locale;
  if (values.translationKey !== null && keyMoved) {
    const twin = await manager.findOneBy(Article, {
      translationKey: values.translationKey,
      locale: values.locale,
    });
    if (twin && twin.internalId !== existing?.internalId) {
      throw new InvalidFieldError(
        'translationKey',
        `${values.translationKey} already has a ${values.locale} version, ${twin.slug}`,
      );
    }
  }
  const beforeLinks = existing ? await readLinks(manager, existing.internalId) : null;
  const links = save.links ?? beforeLinks ?? { authorIds: [], tagIds: [] };
  const before = existing && beforeLinks ? { ...valuesOf(existing), ...beforeLinks } : null;
  const changed = changedFields(before, { ...values, ...links });
  const updatedAt = save.updatedAt ?? (changed.length ? now : (existing?.updatedAt ?? now));
  // The import sets updatedAt from the file: a new `updated` alone is a change of the article.
  if (save.updatedAt && existing && existing.updatedAt.getTime() !== updatedAt.getTime()) {
    changed.push('updatedAt');
  }
  const pendingRevision =
    existing && save.pendingRevision === undefined
      ? await pendingRevisionOf(manager, existing.internalId)
      : (save.pendingRevision ?? null);
  const current = pendingRevision ?? existing?.revision ?? 0;
  if (existing && save.expectedRevision !== undefined) {
    if (current !== save.expectedRevision) throw new StaleRevision(existing, current);
  }
  if (existing && pendingRevision !== null) {
    await deletePendingChange(manager, existing.internalId);
  }
  if (existing && changed.length === 0) return { article: existing, changed };

  const was = existing && beforeLinks ? articleFacts(existing, beforeLinks) : null;
  const { columns, search } = articleColumns(values, updatedAt);
  const revision = current + 1;
  const movedFrom = existing && existing.slug !== values.slug ? existing.slug : null;
  let article: Article;
  if (existing) {
    // Conditional on the revision read: a concurrent writer on another connection (PostgreSQL,
    // another replica) that got there first makes this match no row.
    const result = await manager
      .createQueryBuilder()
      .update(Article)
      .set({ ...columns, revision })
      .where('internal_id = :id AND revision = :read', {
        id: existing.internalId,
        read: existing.revision,
      })
      .execute();
    if (result.affected === 0) {
      const stored = await manager.findOneByOrFail(Article, { internalId: existing.internalId });
      throw new StaleRevision(stored);
    }
    article = Object.assign(existing, columns, { revision });
    if (movedFrom !== null)
      await moveSlug(manager, article.internalId, movedFrom, values.slug, now);
  } else {
    article = manager.create(Article, { ...columns, revision, createdAt: now });
    await manager.insert(Article, article);
  }
  article.detailsLoaded = true;
  if (!existing || changed.includes('authorIds') || changed.includes('tagIds')) {
    await writeLinks(manager, article.internalId, links);
  }
  if (!existing || ['title', 'body', 'excerpt'].some(field => changed.includes(field))) {
    await writeSearchDocument(
      manager,
      dialectOf(manager.connection),
      article.internalId,
      search.title,
      search.body,
    );
  }
  await recordRevision(
    manager,
    {
      articleId: article.internalId,
      revision,
      at: now,
      actor: save.actor,
      fields: changed,
      snapshot: { ...values, ...links },
    },
    save.revisionsKept,
  );
  await recordArticleChange(manager, { before: was, after: articleFacts(article, links), now });
  return { article, changed };
}
