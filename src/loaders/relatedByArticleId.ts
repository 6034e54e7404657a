import DataLoader from 'dataloader';
import type { AnswerKeys } from './answerKeys';
import { SqlParams } from '../db/dialect';
import {
  articleCardColumns,
  articleCardFromRow,
  publicArticleCondition,
} from '../db/reads/articleRows';
import type { Sql } from '../db/SqlReader';
import type { Article } from '../entities/Article';

export interface RelatedKey {
  articleId: number;
  first: number;
}

/**
 * Article.related for many articles in one statement: other public articles that share tags,
 * most shared tags first, then newest, then highest id; never the article itself.
 */
export function relatedByArticleId(db: Sql, now: Date, answerKeys: AnswerKeys) {
  return new DataLoader<RelatedKey, Article[], string>(
    async keys => {
      const params = new SqlParams(db.dialect);
      const ids = [...new Set(keys.map(key => key.articleId))];
      const limit = Math.max(...keys.map(key => key.first));
      const rows: Record<string, unknown>[] = await db.query(
        `SELECT ${articleCardColumns}, r.source_id, r.position
         FROM (
           SELECT s.article_id AS source_id, o.article_id AS related_id,
             ROW_NUMBER() OVER (
               PARTITION BY s.article_id
               ORDER BY COUNT(*) DESC, MAX(p.published_at) DESC, o.article_id DESC
             ) AS position
           FROM article_tag s
           JOIN article_tag o ON o.tag_id = s.tag_id AND o.article_id <> s.article_id
           JOIN article p ON p.internal_id = o.article_id
           WHERE s.article_id IN ${params.list(ids)} AND ${publicArticleCondition(params, now, 'p')}
           GROUP BY s.article_id, o.article_id
         ) r
         JOIN article a ON a.internal_id = r.related_id
         WHERE r.position <= ${params.add(limit)}
         ORDER BY r.source_id, r.position`,
        params.values,
      );
      const bySource = new Map<number, Article[]>(ids.map(id => [id, []]));
      answerKeys.articleList();
      for (const row of rows) {
        bySource.get(Number(row.source_id))?.push(answerKeys.article(articleCardFromRow(row)));
      }
      return keys.map(key => (bySource.get(key.articleId) ?? []).slice(0, key.first));
    },
    { cacheKeyFn: key => `${key.articleId}:${key.first}` },
  );
}
