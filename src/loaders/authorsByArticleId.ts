import type { AnswerKeys } from './answerKeys';
import { groupLoader } from './lookup';
import { authorCardColumns, authorCardFromRow } from '../db/reads/authorRows';
import type { Sql } from '../db/SqlReader';
import type { Author } from '../entities/Author';

/** The authors of each article in their order; the first is the primary author. */
export function authorsByArticleId(db: Sql, keys: AnswerKeys) {
  return groupLoader<Author>(db, {
    select: `SELECT ${authorCardColumns}, l.article_id FROM article_author l JOIN author au ON au.internal_id = l.author_id`,
    column: 'l.article_id',
    orderBy: 'l.article_id, l.position',
    map: row => keys.author(authorCardFromRow(row)),
    keyOf: row => Number(row.article_id),
  });
}
