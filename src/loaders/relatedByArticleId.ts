import DataLoader from 'dataloader';
import type { AnswerKeys } from './answerKeys';
import { SqlParams } from '../db/dialect';
import {
  articleCardColumns,
  articleCardFromRow,
  languageSql,
  publicArticleCondition,
} from '../db/reads/articleRows';
import type { Sql } from '../db/SqlReader';
import type { Article } from '../entities/Article';
import type { Tag } from '../entities/Tag';

export interface RelatedKey {
  articleId: number;
  first: number;
  /** false: only articles in the article's own language ('de' and 'de-AT' are one); true: any. */
  anyLocale: boolean;
}

/**
 * Article.related for many articles in one statement (two where a request asks for both the
 * own-language and the any-language list): other public articles that share tags, most shared
 * tags first, then newest, then highest id; never the article itself or one of its translations.
 * The answer's cache keys are those of the articles listed and of the source's tags (read through
 * `tagsOf`, in the batch the page's own tags take): a list changes only when an article with one
 * of those tags changes, whose event names the tag.
 */
export function relatedByArticleId(
  db: Sql,
  now: Date,
  answerKeys: AnswerKeys,
  tagsOf: DataLoader<number, Tag[]>,
) {
  async function read(keys: readonly RelatedKey[], anyLocale: boolean) {
    const params = new SqlParams(db.dialect);
    const ids = [...new Set(keys.map(key => key.articleId))];
    const limit = Math.max(...keys.map(key => key.first));
    const sameLanguage = anyLocale
      ? ''
      : `AND ${languageSql(db.dialect, 'p.locale')} = ${languageSql(db.dialect, 'src.locale')}`;
    const rows: Record<string, unknown>[] = await db.query(
      `SELECT ${articleCardColumns}, r.source_id, r.position
       FROM (
         SELECT s.article_id AS source_id, o.article_id AS related_id,
           ROW_NUMBER() OVER (
             PARTITION BY s.article_id
             ORDER BY COUNT(*) DESC, MAX(p.published_at) DESC, o.article_id DESC
           ) AS position
         FROM article_tag s
         JOIN article src ON src.internal_id = s.article_id
         JOIN article_tag o ON o.tag_id = s.tag_id AND o.article_id <> s.article_id
         JOIN article p ON p.internal_id = o.article_id
         WHERE s.article_id IN ${params.list(ids)} AND ${publicArticleCondition(params, now, 'p')}
           AND (p.translation_key IS NULL OR src.translation_key IS NULL
             OR p.translation_key <> src.translation_key)
           ${sameLanguage}
         GROUP BY s.article_id, o.article_id
       ) r
       JOIN article a ON a.internal_id = r.related_id
       WHERE r.position <= ${params.add(limit)}
       ORDER BY r.source_id, r.position`,
      params.values,
    );
    const bySource = new Map<number, Article[]>(ids.map(id => [id, []]));
    for (const row of rows) {
      bySource.get(Number(row.source_id))?.push(answerKeys.article(articleCardFromRow(row)));
    }
    return bySource;
  }

  return new DataLoader<RelatedKey, Article[], string>(
    async keys => {
      const own = keys.filter(key => !key.anyLocale);
      const any = keys.filter(key => key.anyLocale);
      const [ownLists, anyLists] = await Promise.all([
        own.length ? read(own, false) : new Map<number, Article[]>(),
        any.length ? read(any, true) : new Map<number, Article[]>(),
        // tagsByArticleId adds the tags' keys.
        tagsOf.loadMany([...new Set(keys.map(key => key.articleId))]),
      ]);
      return keys.map(key =>
        ((key.anyLocale ? anyLists : ownLists).get(key.articleId) ?? []).slice(0, key.first),
      );
    },
    { cacheKeyFn: key => `${key.articleId}:${key.first}:${key.anyLocale}` },
  );
}
