import { lookupLoader } from './lookup';
import { articleDetailColumns, articleDetailsFromRow } from '../db/reads/articleRows';
import type { Sql } from '../db/SqlReader';

/**
 * The detail columns (status, featured, headings, SEO fields) of articles a list has read as cards,
 * for the few list queries that ask for them. No visibility condition: the articles are already
 * those the request may see.
 */
export function articleDetailsById(db: Sql) {
  return lookupLoader<number, ReturnType<typeof articleDetailsFromRow>>(db, {
    select: `SELECT a.internal_id, ${articleDetailColumns} FROM article a`,
    column: 'a.internal_id',
    map: articleDetailsFromRow,
    keyOf: row => Number(row.internal_id),
  });
}
