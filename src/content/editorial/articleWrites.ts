import { In, type EntityManager } from 'typeorm';
import type { ArticleValues } from './articleColumns';
import { valuesOf } from './articleColumns';
import { applyArticleFields, type ArticleFields, checkLinkCounts } from './articleInput';
import { type ArticleLinks, readLinks } from './articleLinks';
import type { EditorialServices } from './editorialServices';
import { InvalidFieldError } from './InvalidFieldError';
import {
  discardPendingChange,
  type PendingChange,
  readPendingChange,
  withPendingChange,
  writePendingChange,
} from './pendingChanges';
import { type Actor, changedFields, findRevision, parseSnapshot } from './revisions';
import { saveArticle, StaleRevision } from './saveArticle';
import { slugOwner } from './slugHistory';
import { dialectOf } from '../../db/dialect';
import { deleteSearchDocument } from '../../db/search';
import { Article } from '../../entities/Article';
import { Author } from '../../entities/Author';
import { ArticleStatus } from '../../entities/enums';
import { Tag } from '../../entities/Tag';
import { BadUserInputError } from '../../errors/BadUserInputError';
import { ConflictError } from '../../errors/ConflictError';
import { NotFoundError } from '../../errors/NotFoundError';
import { decodeGlobalId, encodeGlobalId } from '../../relay/globalId';
import { articleFacts, recordArticleChange } from '../changes/articleChange';
import { contentTransaction } from '../changes/contentTransaction';

/** Who writes, when, with what: what every article write takes besides its input. */
export interface WriteRequest {
  services: EditorialServices;
  actor: Actor;
  now: Date;
}

/**
 * The article named by a global id, read in the write's transaction; NOT_FOUND where none. On
 * PostgreSQL the read holds the row (SELECT ... FOR UPDATE) until the transaction ends, so two
 * replicas writing the same article take turns; SQLite's writes run one at a time anyway.
 */
async function articleOf(manager: EntityManager, id: string): Promise<Article> {
  const decoded = decodeGlobalId(id);
  const held = dialectOf(manager.connection) === 'postgres';
  const article =
    decoded?.type === 'Article'
      ? await manager.findOne(Article, {
          where: { internalId: decoded.internalId },
          ...(held ? { lock: { mode: 'pessimistic_write' as const } } : {}),
        })
      : null;
  if (!article) throw new NotFoundError(`No article with id ${JSON.stringify(id)}.`);
  return article;
}

/**
 * The article's pending change, read in the write's transaction. Only a published (or scheduled)
 * article has one: every change of status applies it or keeps it as content (saveArticle drops
 * the row), so for any other nothing is read.
 */
async function pendingOf(manager: EntityManager, article: Article): Promise<PendingChange | null> {
  if (article.status !== ArticleStatus.PUBLISHED) return null;
  return readPendingChange(manager, dialectOf(manager.connection), article.internalId);
}

/** Global ids of authors or tags as internal ids, each checked to exist (one statement a list). */
async function idsOf(
  manager: EntityManager,
  ids: readonly string[],
  type: 'Author' | 'Tag',
  field: string,
): Promise<number[]> {
  const internal = ids.map((id, index) => {
    const decoded = decodeGlobalId(id);
    if (decoded?.type !== type) {
      throw new BadUserInputError(
        `${field}: item ${index + 1} is not ${type === 'Author' ? 'an author' : 'a tag'} id, got ${JSON.stringify(id)}.`,
        field,
      );
    }
    return decoded.internalId;
  });
  if (!internal.length) return internal;
  const entity = type === 'Author' ? Author : Tag;
  const found = new Set(
    (
      await manager.find(entity, {
        select: { internalId: true },
        where: { internalId: In(internal) },
      })
    ).map(row => row.internalId),
  );
  const missing = internal.findIndex(id => !found.has(id));
  if (missing !== -1) {
    throw new BadUserInputError(
      `${field}: item ${missing + 1} names no ${type.toLowerCase()}, got ${JSON.stringify(ids[missing])}.`,
      field,
    );
  }
  return internal;
}

/** The links an input sets: undefined where it sets neither list (null clears one). */
async function linksOf(
  manager: EntityManager,
  input: ArticleFields,
  current: ArticleLinks | null,
): Promise<ArticleLinks | undefined> {
  if (input.authorIds === undefined && input.tagIds === undefined) return undefined;
  checkLinkCounts(input);
  const base = current ?? { authorIds: [], tagIds: [] };
  return {
    authorIds:
      input.authorIds === undefined
        ? base.authorIds
        : await idsOf(manager, input.authorIds ?? [], 'Author', 'input.authorIds'),
    tagIds:
      input.tagIds === undefined
        ? base.tagIds
        : await idsOf(manager, input.tagIds ?? [], 'Tag', 'input.tagIds'),
  };
}

/**
 * Refuses a write based on another revision than the current one: CONFLICT, HTTP 409. The current
 * one is the newest: the pending change's where there is one, else the article's.
 */
function checkRevision(
  article: Article,
  expected: number | null | undefined,
  pending: PendingChange | null = null,
): void {
  const current = pending?.revision ?? article.revision;
  if (expected == null || expected === current) return;
  throw conflict(article, expected, pending);
}

function conflict(
  article: Article,
  expected: number,
  pending: { revision: number; updatedAt: Date } | null = null,
): ConflictError {
  const current = pending ?? article;
  const where = pending ? ' (its pending change, not yet published)' : '';
  return new ConflictError(
    `article ${article.id} is at revision ${current.revision}${where} (updated ${current.updatedAt.toISOString()}), got expectedRevision ${expected}: read it again, merge and retry.`,
    { revision: current.revision, updatedAt: current.updatedAt },
  );
}

/** A write of the public article while it has a pending change: refused, so neither is lost. */
function pendingConflict(article: Article, pending: PendingChange, operation: string) {
  return new ConflictError(
    `article ${article.id} has a pending change at revision ${pending.revision} (not yet published): ${operation} would leave it behind. Send updateArticle with draft: true to change it, publishArticle to publish it, or discardPendingChanges to drop it first.`,
    { revision: pending.revision, updatedAt: pending.updatedAt },
  );
}

/**
 * Runs an article write in one transaction (nothing is written on any error), saves through the
 * import's own write path, and forgets the article in recordView's cache once it committed.
 * `field` names the input field a refused slug is reported on.
 */
async function writeArticle(
  request: WriteRequest,
  build: (manager: EntityManager) => Promise<
    | {
        existing: Article | null;
        values: ArticleValues;
        links?: ArticleLinks;
        expectedRevision?: number;
        pendingRevision?: number | null;
      }
    // Written already (a pending change): nothing public changed.
    | { written: Article }
  >,
  slugField = 'input.slug',
): Promise<Article> {
  const { services, actor, now } = request;
  let expected: number | undefined;
  try {
    const article = await contentTransaction(services.db, async manager => {
      const change = await build(manager);
      if ('written' in change) return change.written;
      expected = change.expectedRevision;
      const { article } = await saveArticle(manager, {
        ...change,
        now,
        actor,
        revisionsKept: services.settings.revisionsKept,
      });
      return article;
    });
    services.publishedArticles.forgetArticle(article.internalId);
    return article;
  } catch (error) {
    if (error instanceof StaleRevision) {
      throw conflict(error.current, expected ?? -1, {
        revision: error.currentRevision,
        updatedAt: error.current.updatedAt,
      });
    }
    if (error instanceof InvalidFieldError) {
      const field = error.field === 'slug' ? slugField : `input.${error.field}`;
      throw new BadUserInputError(`${field}: ${error.reason}.`, field);
    }
    throw error;
  }
}

const emptyArticle: ArticleValues = {
  title: '',
  slug: '',
  locale: 'en',
  status: ArticleStatus.DRAFT,
  featured: false,
  publishedAt: null,
  body: '',
  excerpt: null,
  imageUrl: null,
  imageAlt: null,
  imageCaption: null,
  imageWidth: null,
  imageHeight: null,
  seoTitle: null,
  seoDescription: null,
  canonicalUrl: null,
  translationKey: null,
};

/** createArticle: a new draft from the given fields (title and body needed), revision 1. */
export function createArticle(request: WriteRequest, input: ArticleFields): Promise<Article> {
  return writeArticle(request, async manager => {
    if (input.title == null) {
      throw new BadUserInputError('input.title: a new article needs a title.', 'input.title');
    }
    if (input.body == null) {
      throw new BadUserInputError('input.body: a new article needs a body.', 'input.body');
    }
    const values = applyArticleFields(emptyArticle, input, true);
    return { existing: null, values, links: await linksOf(manager, input, null) };
  });
}

/**
 * updateArticle: changes only the given fields of the article at expectedRevision. With draft:
 * true on a published (or scheduled) article, the change becomes its pending change instead
 * (savePendingChange); without it, an article that has one is CONFLICT (pendingConflict).
 */
export function updateArticle(
  request: WriteRequest,
  input: ArticleFields & { id: string; expectedRevision: number; draft?: boolean | null },
): Promise<Article> {
  return writeArticle(request, async manager => {
    const existing = await articleOf(manager, input.id);
    const pending = await pendingOf(manager, existing);
    checkRevision(existing, input.expectedRevision, pending);
    if (input.draft === true && existing.status === ArticleStatus.PUBLISHED) {
      return { written: await savePendingChange(manager, request, existing, pending, input) };
    }
    if (pending) throw pendingConflict(existing, pending, 'updateArticle without draft: true');
    const values = applyArticleFields(valuesOf(existing), input, false);
    const links = await linksOf(
      manager,
      input,
      input.authorIds === undefined || input.tagIds === undefined
        ? await readLinks(manager, existing.internalId)
        : null,
    );
    return {
      existing,
      values,
      links,
      expectedRevision: input.expectedRevision,
      pendingRevision: null,
    };
  });
}

/**
 * The change of one published article's content as its pending change (README "Preview"): the
 * given fields over the pending change where there is one, else over the article; checked by the
 * same rules, the slug against every other article's. A change that changes nothing writes
 * nothing. Returns the article as the pending change shows it.
 */
async function savePendingChange(
  manager: EntityManager,
  request: WriteRequest,
  existing: Article,
  pending: PendingChange | null,
  input: ArticleFields,
): Promise<Article> {
  const { authorIds, tagIds, ...baseValues } = pending?.snapshot ?? {
    ...valuesOf(existing),
    ...(await readLinks(manager, existing.internalId)),
  };
  const base = { authorIds, tagIds };
  const values = applyArticleFields(baseValues, input, false);
  const links = (await linksOf(manager, input, base)) ?? base;
  const owner = await slugOwner(manager, values.slug);
  if (owner !== null && owner !== existing.internalId) {
    throw new InvalidFieldError(
      'slug',
      `${values.slug} is the current or an earlier slug of another article`,
    );
  }
  const changed = changedFields({ ...baseValues, ...base }, { ...values, ...links });
  if (changed.length === 0) return pending ? withPendingChange(existing, pending) : existing;
  const written = await writePendingChange(manager, {
    article: existing,
    values,
    links,
    revision: (pending?.revision ?? existing.revision) + 1,
    replaces: pending !== null,
    changed,
    now: request.now,
    actor: { ...request.actor, operation: 'updateArticle (draft)' },
    revisionsKept: request.services.settings.revisionsKept,
  });
  return withPendingChange(existing, written);
}

/**
 * A change of status: publish (at a time, or now), unpublish (draft) or archive. An article's
 * pending change goes with it in the same write, as one revision: publish applies it; unpublish
 * and archive keep it as the article's content, which is then no longer public anyway.
 */
export function setArticleStatus(
  request: WriteRequest,
  input: { id: string; expectedRevision?: number | null; at?: Date | null },
  status: ArticleStatus,
): Promise<Article> {
  return writeArticle(request, async manager => {
    const existing = await articleOf(manager, input.id);
    const pending = await pendingOf(manager, existing);
    checkRevision(existing, input.expectedRevision, pending);
    const { authorIds, tagIds, ...pendingValues } = pending?.snapshot ?? {
      authorIds: undefined,
      tagIds: undefined,
    };
    const links = authorIds && tagIds ? { authorIds, tagIds } : undefined;
    const values = {
      ...valuesOf(existing),
      ...pendingValues,
      status,
      publishedAt: existing.publishedAt,
    };
    if (status === ArticleStatus.PUBLISHED) {
      // A given time (now or later: scheduled); else the date it had, where that has passed
      // (published again after an unpublish keeps its date), else now.
      const had = existing.publishedAt;
      values.publishedAt = input.at ?? (had && had <= request.now ? had : request.now);
    }
    return {
      existing,
      values,
      links,
      expectedRevision: input.expectedRevision ?? undefined,
      pendingRevision: pending?.revision ?? null,
    };
  });
}

/**
 * restoreArticleRevision: writes the content, slug, authors and tags of a kept revision back as a
 * new revision. Status and publication date stay as they are: restoring text never (un)publishes.
 * Authors or tags deleted since are left out.
 */
export function restoreArticleRevision(
  request: WriteRequest,
  input: { id: string; revision: number; expectedRevision: number },
): Promise<Article> {
  return writeArticle(
    request,
    async manager => {
      const existing = await articleOf(manager, input.id);
      const pending = await pendingOf(manager, existing);
      checkRevision(existing, input.expectedRevision, pending);
      if (pending) throw pendingConflict(existing, pending, 'restoreArticleRevision');
      const kept = await findRevision(manager, existing.internalId, input.revision);
      if (!kept) {
        throw new BadUserInputError(
          `input.revision: article ${input.id} keeps no revision ${input.revision} (the last ${request.services.settings.revisionsKept} are kept).`,
          'input.revision',
        );
      }
      const snapshot = parseSnapshot(kept.snapshotJson);
      const {
        authorIds,
        tagIds,
        status: _status,
        publishedAt: _publishedAt,
        ...content
      } = snapshot;
      const existingAuthors = await manager.find(Author, {
        select: { internalId: true },
        where: { internalId: In(authorIds.length ? authorIds : [0]) },
      });
      const existingTags = await manager.find(Tag, {
        select: { internalId: true },
        where: { internalId: In(tagIds.length ? tagIds : [0]) },
      });
      const authorSet = new Set(existingAuthors.map(row => row.internalId));
      const tagSet = new Set(existingTags.map(row => row.internalId));
      return {
        existing,
        values: { ...valuesOf(existing), ...content },
        links: {
          authorIds: authorIds.filter(id => authorSet.has(id)),
          tagIds: tagIds.filter(id => tagSet.has(id)),
        },
        expectedRevision: input.expectedRevision,
        pendingRevision: null,
      };
    },
    'input.revision',
  );
}

/**
 * deleteArticle: removes the article with its links, revisions, earlier slugs, search text and
 * view counts (ON DELETE CASCADE), in one transaction with its `article.deleted` event. Returns
 * its id and last slug.
 */
export async function deleteArticle(
  request: WriteRequest,
  input: { id: string; expectedRevision?: number | null },
): Promise<{ articleId: number; id: string; slug: string }> {
  const { services } = request;
  const deleted = await contentTransaction(services.db, async manager => {
    const existing = await articleOf(manager, input.id);
    checkRevision(existing, input.expectedRevision, await pendingOf(manager, existing));
    await recordArticleChange(manager, {
      before: articleFacts(existing, await readLinks(manager, existing.internalId)),
      after: null,
      now: request.now,
    });
    await deleteSearchDocument(manager, dialectOf(manager.connection), existing.internalId);
    await manager.delete(Article, { internalId: existing.internalId });
    return {
      articleId: existing.internalId,
      id: encodeGlobalId('Article', existing.internalId),
      slug: existing.slug,
    };
  });
  services.publishedArticles.forgetArticle(deleted.articleId);
  return deleted;
}

/**
 * discardPendingChanges: drops a published article's pending change and its unpublished
 * revisions; the public article stays as it is. An article without one is answered as it is.
 */
export async function discardPendingChanges(
  request: WriteRequest,
  input: { id: string; expectedRevision?: number | null },
): Promise<Article> {
  return contentTransaction(request.services.db, async manager => {
    const existing = await articleOf(manager, input.id);
    const pending = await pendingOf(manager, existing);
    checkRevision(existing, input.expectedRevision, pending);
    if (pending) await discardPendingChange(manager, existing);
    existing.detailsLoaded = true;
    return existing;
  });
}
