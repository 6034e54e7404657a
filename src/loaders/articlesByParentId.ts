import DataLoader from 'dataloader';
import type { AnswerKeys } from './answerKeys';
import { ArticleListing, type ArticlePage } from '../content/articleListing';
import type { Sql } from '../db/SqlReader';
import type { ArticleOrder } from '../entities/enums';

export interface ArticlesOfParentKey {
  parentId: number;
  first: number;
  after: string | null;
  orderBy: ArticleOrder;
}

/**
 * Author.articles or Tag.articles for many authors or tags: one statement for every distinct
 * (first, after, orderBy) asked for in a request, however many parents there are.
 */
export function articlesByParentId(
  db: Sql,
  now: Date,
  link: 'author' | 'tag',
  answerKeys: AnswerKeys,
) {
  const listing = new ArticleListing(db, now);
  return new DataLoader<ArticlesOfParentKey, ArticlePage, string>(
    async keys => {
      const groups = new Map<string, ArticlesOfParentKey[]>();
      for (const key of keys) {
        const shape = JSON.stringify([key.first, key.after, key.orderBy]);
        groups.set(shape, [...(groups.get(shape) ?? []), key]);
      }
      const pages = new Map<string, ArticlePage>();
      for (const [shape, group] of groups) {
        const { first, after, orderBy } = group[0];
        const byParent = await listing.pagesByParent(
          link,
          group.map(key => key.parentId),
          { first, after, orderBy },
        );
        // The parent's key stands for its list (an empty one too); each article's for its card.
        for (const key of group) answerKeys[link]({ internalId: key.parentId });
        for (const [parentId, page] of byParent) {
          for (const edge of page.edges) answerKeys.article(edge.node);
          pages.set(`${parentId}:${shape}`, page);
        }
      }
      return keys.map(key => {
        const page = pages.get(
          `${key.parentId}:${JSON.stringify([key.first, key.after, key.orderBy])}`,
        );
        return page ?? new Error(`No page was loaded for ${link} ${key.parentId}.`);
      });
    },
    { cacheKeyFn: key => `${key.parentId}:${JSON.stringify([key.first, key.after, key.orderBy])}` },
  );
}
