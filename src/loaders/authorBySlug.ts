import type { DataSource } from 'typeorm';
import { authorColumns, authorFromRow } from '../db/rowMappers';
import type { Author } from '../entities/Author';
import { lookupLoader } from './lookup';

export function authorBySlug(db: DataSource) {
  return lookupLoader<string, Author>(db, {
    select: `SELECT ${authorColumns} FROM author au`,
    column: 'au.slug',
    map: authorFromRow,
    keyOf: row => String(row.slug),
  });
}
