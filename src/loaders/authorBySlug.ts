import type { AnswerKeys } from './answerKeys';
import { lookupLoader } from './lookup';
import { authorColumns, authorFromRow } from '../db/reads/authorRows';
import type { Sql } from '../db/SqlReader';
import type { Author } from '../entities/Author';

export function authorBySlug(db: Sql, keys: AnswerKeys) {
  return lookupLoader<string, Author>(db, {
    select: `SELECT ${authorColumns} FROM author au`,
    column: 'au.slug',
    map: row => keys.author(authorFromRow(row)),
    keyOf: row => String(row.slug),
  });
}
