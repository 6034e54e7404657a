import { AnswerKeys } from './answerKeys';
import { articleBodyById } from './articleBodyById';
import { articleById } from './articleById';
import { articleBySlug } from './articleBySlug';
import { articleCountByParentId } from './articleCountByParentId';
import { articleDetailsById } from './articleDetailsById';
import { articlesByParentId } from './articlesByParentId';
import { articlesByTranslationKey } from './articlesByTranslationKey';
import { authorById } from './authorById';
import { authorBySlug } from './authorBySlug';
import { authorsByArticleId } from './authorsByArticleId';
import { redirectByAddress } from './redirectByAddress';
import { relatedByArticleId } from './relatedByArticleId';
import { revisionsByArticleId } from './revisionsByArticleId';
import { tagById } from './tagById';
import { tagBySlug } from './tagBySlug';
import { tagsByArticleId } from './tagsByArticleId';
import { viewCountByArticleId } from './viewCountByArticleId';
import type { Sql } from '../db/SqlReader';
import type { RankingSnapshots } from '../views/rankings';

/**
 * Every loader of one request. Built per request: caches never outlive it or leak across users.
 * Each row a loader produces adds its cache key to `keys` (the answer's Cache-Tag).
 */
export function createLoaders(
  db: Sql,
  now: Date,
  rankings: RankingSnapshots,
  keys: AnswerKeys = new AnswerKeys(),
) {
  // Also read by relatedByArticleId, for the keys of a related list.
  const tags = tagsByArticleId(db, keys);
  return {
    articleById: articleById(db, now, keys),
    articleBySlug: articleBySlug(db, now, keys),
    articleBodyById: articleBodyById(db),
    articleDetailsById: articleDetailsById(db),
    authorById: authorById(db, keys),
    authorBySlug: authorBySlug(db, keys),
    tagById: tagById(db, keys),
    tagBySlug: tagBySlug(db, keys),
    authorsByArticleId: authorsByArticleId(db, keys),
    tagsByArticleId: tags,
    relatedByArticleId: relatedByArticleId(db, now, keys, tags),
    articleCountByAuthorId: articleCountByParentId(db, now, 'author', keys),
    articleCountByTagId: articleCountByParentId(db, now, 'tag', keys),
    articlesByAuthorId: articlesByParentId(db, now, 'author', keys),
    articlesByTagId: articlesByParentId(db, now, 'tag', keys),
    viewCountByArticleId: viewCountByArticleId(rankings, now, keys),
    revisionsByArticleId: revisionsByArticleId(db),
    articlesByTranslationKey: articlesByTranslationKey(db, now, keys),
    redirectByAddress: redirectByAddress(db, now, keys),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
