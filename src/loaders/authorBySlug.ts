import type { Sql } from '../db/SqlReader';
import { authorColumns, authorFromRow } from '../db/reads/authorRows';
import type { Author } from '../entities/Author';
import { lookupLoader } from './lookup';

export function authorBySlug(db: Sql) {
  return lookupLoader<string, Author>(db, {
    select: `SELECT ${authorColumns} FROM author au`,
    column: 'au.slug',
    map: authorFromRow,
    keyOf: row => String(row.slug),
  });
}
