import type { AnswerKeys } from './answerKeys';
import { lookupLoader } from './lookup';
import { cacheKeys } from '../content/changes/cacheKeys';
import { authorColumns, authorFromRow } from '../db/reads/authorRows';
import type { Sql } from '../db/SqlReader';
import type { Author } from '../entities/Author';

export function authorBySlug(db: Sql, keys: AnswerKeys) {
  return lookupLoader<string, Author>(db, {
    select: `SELECT ${authorColumns} FROM author au`,
    column: 'au.slug',
    map: row => keys.author(authorFromRow(row)),
    // A slug no author has yet: the author list's key, which a author created purges.
    onMiss: () => keys.add(cacheKeys.authorLists),
    keyOf: row => String(row.slug),
  });
}
