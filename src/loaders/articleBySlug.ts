import DataLoader from 'dataloader';
import type { AnswerKeys } from './answerKeys';
import { SqlParams } from '../db/dialect';
import { articleColumns, articleFromRow, publicArticleCondition } from '../db/reads/articleRows';
import type { Sql } from '../db/SqlReader';
import type { Article } from '../entities/Article';

/**
 * Public articles by slug, current or earlier (an article renamed answers under its old slugs,
 * with its current `slug`, so a front end can redirect); null for unknown, draft, archived or
 * scheduled ones. One statement for every slug of a request. Adds each slug's key, and each found
 * article's.
 */
export function articleBySlug(db: Sql, now: Date, keys: AnswerKeys) {
  return new DataLoader<string, Article | null>(async slugs => {
    const params = new SqlParams(db.dialect);
    const current = params.list(slugs);
    const earlier = params.list(slugs);
    const rows: Record<string, unknown>[] = await db.query(
      `SELECT ${articleColumns}, k.asked FROM (
         SELECT slug AS asked, internal_id AS article_id FROM article WHERE slug IN ${current}
         UNION ALL SELECT slug, article_id FROM article_slug WHERE slug IN ${earlier}
       ) k JOIN article a ON a.internal_id = k.article_id
       WHERE ${publicArticleCondition(params, now)}`,
      params.values,
    );
    const bySlug = new Map(rows.map(row => [String(row.asked), articleFromRow(row)]));
    // Found or not, the slug's key: a null for a slug not yet published is purged when it appears.
    for (const slug of slugs) keys.slug(slug);
    return slugs.map(slug => keys.article(bySlug.get(slug) ?? null));
  });
}
