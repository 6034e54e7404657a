import type { AnswerKeys } from './answerKeys';
import { groupLoader } from './lookup';
import {
  articleCardColumns,
  articleCardFromRow,
  publicArticleCondition,
} from '../db/reads/articleRows';
import type { Sql } from '../db/SqlReader';
import type { Article } from '../entities/Article';

/**
 * The public versions of each translation key, by locale (one statement for every key a request
 * asks for): Article.translations and article(slug:, locale:) pick from them.
 */
export function articlesByTranslationKey(db: Sql, now: Date, keys: AnswerKeys) {
  return groupLoader<Article, string>(db, {
    select: `SELECT ${articleCardColumns} FROM article a`,
    column: 'a.translation_key',
    where: params => publicArticleCondition(params, now),
    orderBy: 'a.translation_key, a.locale, a.internal_id',
    map: row => keys.article(articleCardFromRow(row)),
    keyOf: row => String(row.translation_key),
  });
}
