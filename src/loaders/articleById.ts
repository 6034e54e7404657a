import type { AnswerKeys } from './answerKeys';
import { lookupLoader } from './lookup';
import { articleColumns, articleFromRow, publicArticleCondition } from '../db/reads/articleRows';
import type { Sql } from '../db/SqlReader';

/** Public articles by internal id; null for unknown, draft, archived or scheduled ones. */
export function articleById(db: Sql, now: Date, keys: AnswerKeys) {
  return lookupLoader<number, ReturnType<typeof articleFromRow>>(db, {
    select: `SELECT ${articleColumns} FROM article a`,
    column: 'a.internal_id',
    where: params => publicArticleCondition(params, now),
    map: row => keys.article(articleFromRow(row)),
    keyOf: row => Number(row.internal_id),
  });
}
