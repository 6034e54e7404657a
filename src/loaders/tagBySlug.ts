import type { AnswerKeys } from './answerKeys';
import { lookupLoader } from './lookup';
import { tagColumns, tagFromRow } from '../db/reads/tagRows';
import type { Sql } from '../db/SqlReader';
import type { Tag } from '../entities/Tag';

export function tagBySlug(db: Sql, keys: AnswerKeys) {
  return lookupLoader<string, Tag>(db, {
    select: `SELECT ${tagColumns} FROM tag t`,
    column: 't.slug',
    map: row => keys.tag(tagFromRow(row)),
    keyOf: row => String(row.slug),
  });
}
