import { lookupLoader } from './lookup';
import { tagColumns, tagFromRow } from '../db/reads/tagRows';
import type { Sql } from '../db/SqlReader';
import type { Tag } from '../entities/Tag';

export function tagBySlug(db: Sql) {
  return lookupLoader<string, Tag>(db, {
    select: `SELECT ${tagColumns} FROM tag t`,
    column: 't.slug',
    map: tagFromRow,
    keyOf: row => String(row.slug),
  });
}
