import type { AnswerKeys } from './answerKeys';
import { lookupLoader } from './lookup';
import { authorColumns, authorFromRow } from '../db/reads/authorRows';
import type { Sql } from '../db/SqlReader';
import type { Author } from '../entities/Author';

export function authorById(db: Sql, keys: AnswerKeys) {
  return lookupLoader<number, Author>(db, {
    select: `SELECT ${authorColumns} FROM author au`,
    column: 'au.internal_id',
    map: row => keys.author(authorFromRow(row)),
    keyOf: row => Number(row.internal_id),
  });
}
