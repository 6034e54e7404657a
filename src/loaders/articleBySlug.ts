import { lookupLoader } from './lookup';
import { articleColumns, articleFromRow, publicArticleCondition } from '../db/reads/articleRows';
import type { Sql } from '../db/SqlReader';

/** Public articles by slug; null for unknown, draft, archived or scheduled ones. */
export function articleBySlug(db: Sql, now: Date) {
  return lookupLoader<string, ReturnType<typeof articleFromRow>>(db, {
    select: `SELECT ${articleColumns} FROM article a`,
    column: 'a.slug',
    where: params => publicArticleCondition(params, now),
    map: articleFromRow,
    keyOf: row => String(row.slug),
  });
}
