import type { DataSource } from 'typeorm';
import { tagColumns, tagFromRow } from '../db/rowMappers';
import type { Tag } from '../entities/Tag';
import { lookupLoader } from './lookup';

export function tagById(db: DataSource) {
  return lookupLoader<number, Tag>(db, {
    select: `SELECT ${tagColumns} FROM tag t`,
    column: 't.internal_id',
    map: tagFromRow,
    keyOf: row => Number(row.internal_id),
  });
}
