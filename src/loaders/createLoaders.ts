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
import { relatedByArticleId } from './relatedByArticleId';
import { revisionsByArticleId } from './revisionsByArticleId';
import { tagById } from './tagById';
import { tagBySlug } from './tagBySlug';
import { tagsByArticleId } from './tagsByArticleId';
import { viewCountByArticleId } from './viewCountByArticleId';
import type { Sql } from '../db/SqlReader';
import type { RankingSnapshots } from '../views/rankings';

/** Every loader of one request. Built per request: caches never outlive it or leak across users. */
export function createLoaders(db: Sql, now: Date, rankings: RankingSnapshots) {
  return {
    articleById: articleById(db, now),
    articleBySlug: articleBySlug(db, now),
    articleBodyById: articleBodyById(db),
    articleDetailsById: articleDetailsById(db),
    authorById: authorById(db),
    authorBySlug: authorBySlug(db),
    tagById: tagById(db),
    tagBySlug: tagBySlug(db),
    authorsByArticleId: authorsByArticleId(db),
    tagsByArticleId: tagsByArticleId(db),
    relatedByArticleId: relatedByArticleId(db, now),
    articleCountByAuthorId: articleCountByParentId(db, now, 'author'),
    articleCountByTagId: articleCountByParentId(db, now, 'tag'),
    articlesByAuthorId: articlesByParentId(db, now, 'author'),
    articlesByTagId: articlesByParentId(db, now, 'tag'),
    viewCountByArticleId: viewCountByArticleId(rankings, now),
    revisionsByArticleId: revisionsByArticleId(db),
    articlesByTranslationKey: articlesByTranslationKey(db, now),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
