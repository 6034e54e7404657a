import { lookupLoader } from './lookup';
import { tagColumns, tagFromRow } from '../db/reads/tagRows';
import type { Sql } from '../db/SqlReader';
import type { Tag } from '../entities/Tag';

export function tagById(db: Sql) {
  return lookupLoader<number, Tag>(db, {
    select: `SELECT ${tagColumns} FROM tag t`,
    column: 't.internal_id',
    map: tagFromRow,
    keyOf: row => Number(row.internal_id),
  });
}
