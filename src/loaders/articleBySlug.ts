import type { Sql } from '../db/SqlReader';
import { articleColumns, articleFromRow, publicArticleCondition } from '../db/reads/articleRows';
import { lookupLoader } from './lookup';

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
