import type { AnswerKeys } from './answerKeys';
import { groupLoader } from './lookup';
import { tagCardColumns, tagCardFromRow } from '../db/reads/tagRows';
import type { Sql } from '../db/SqlReader';
import type { Tag } from '../entities/Tag';

/** The tags of each article in their order; the first is the primary tag. */
export function tagsByArticleId(db: Sql, keys: AnswerKeys) {
  return groupLoader<Tag>(db, {
    select: `SELECT ${tagCardColumns}, l.article_id FROM article_tag l JOIN tag t ON t.internal_id = l.tag_id`,
    column: 'l.article_id',
    orderBy: 'l.article_id, l.position',
    map: row => keys.tag(tagCardFromRow(row)),
    keyOf: row => Number(row.article_id),
  });
}
