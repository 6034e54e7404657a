import { lookupLoader } from './lookup';
import { authorColumns, authorFromRow } from '../db/reads/authorRows';
import type { Sql } from '../db/SqlReader';
import type { Author } from '../entities/Author';

export function authorBySlug(db: Sql) {
  return lookupLoader<string, Author>(db, {
    select: `SELECT ${authorColumns} FROM author au`,
    column: 'au.slug',
    map: authorFromRow,
    keyOf: row => String(row.slug),
  });
}
