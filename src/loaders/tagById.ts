import type { AnswerKeys } from './answerKeys';
import { lookupLoader } from './lookup';
import { tagColumns, tagFromRow } from '../db/reads/tagRows';
import type { Sql } from '../db/SqlReader';
import type { Tag } from '../entities/Tag';

export function tagById(db: Sql, keys: AnswerKeys) {
  return lookupLoader<number, Tag>(db, {
    select: `SELECT ${tagColumns} FROM tag t`,
    column: 't.internal_id',
    map: row => keys.tag(tagFromRow(row)),
    keyOf: row => Number(row.internal_id),
  });
}
