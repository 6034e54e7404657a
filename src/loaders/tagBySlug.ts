import type { DataSource } from 'typeorm';
import { tagColumns, tagFromRow } from '../db/rowMappers';
import type { Tag } from '../entities/Tag';
import { lookupLoader } from './lookup';

export function tagBySlug(db: DataSource) {
  return lookupLoader<string, Tag>(db, {
    select: `SELECT ${tagColumns} FROM tag t`,
    column: 't.slug',
    map: tagFromRow,
    keyOf: row => String(row.slug),
  });
}
