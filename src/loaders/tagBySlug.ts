import type { Sql } from '../db/SqlReader';
import { tagColumns, tagFromRow } from '../db/reads/tagRows';
import type { Tag } from '../entities/Tag';
import { lookupLoader } from './lookup';

export function tagBySlug(db: Sql) {
  return lookupLoader<string, Tag>(db, {
    select: `SELECT ${tagColumns} FROM tag t`,
    column: 't.slug',
    map: tagFromRow,
    keyOf: row => String(row.slug),
  });
}
