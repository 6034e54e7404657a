import { articleColumns, publicArticleCondition } from './articleRows';
import type { SqlParams } from '../dialect';

/** How an old address found its article; the order is the order of precedence. */
export const redirectMatches = ['POST_ID', 'OLD_PATH', 'EARLIER_SLUG', 'CURRENT_SLUG'] as const;
export type RedirectMatchKind = (typeof redirectMatches)[number];

/** What a batch of redirect lookups asks for: normalized old paths, post ids, slugs. */
export interface RedirectKeys {
  paths: readonly string[];
  /** WordPress post ids (article_origin.source_id of source 'wordpress'). */
  postIds: readonly string[];
  slugs: readonly string[];
}

/**
 * The read SQL of the old addresses (article_old_path, article_origin, article_slug): one
 * statement for every lookup of a batch, each branch only where it has keys, joined to the
 * public articles only (a draft, a scheduled or an archived article is never revealed). Each row
 * is the article's columns (articleColumns), `asked` (the key matched) and `via` (a
 * RedirectMatchKind). Null where nothing is asked.
 */
export function redirectLookupSql(params: SqlParams, keys: RedirectKeys, now: Date): string | null {
  const branches: string[] = [];
  if (keys.paths.length) {
    branches.push(
      `SELECT path AS asked, article_id, 'OLD_PATH' AS via FROM article_old_path WHERE path IN ${params.list(keys.paths)}`,
    );
  }
  if (keys.postIds.length) {
    branches.push(
      `SELECT source_id AS asked, article_id, 'POST_ID' AS via FROM article_origin WHERE source = 'wordpress' AND source_id IN ${params.list(keys.postIds)}`,
    );
  }
  if (keys.slugs.length) {
    branches.push(
      `SELECT slug AS asked, internal_id AS article_id, 'CURRENT_SLUG' AS via FROM article WHERE slug IN ${params.list(keys.slugs)}`,
      `SELECT slug AS asked, article_id, 'EARLIER_SLUG' AS via FROM article_slug WHERE slug IN ${params.list(keys.slugs)}`,
    );
  }
  if (!branches.length) return null;
  return `SELECT ${articleColumns}, k.asked, k.via FROM (${branches.join(' UNION ALL ')}) k
    JOIN article a ON a.internal_id = k.article_id
    WHERE ${publicArticleCondition(params, now)}
    ORDER BY a.internal_id`;
}

/**
 * One page of the redirect map: every old path (article_old_path) and every earlier slug
 * (article_slug) of a public article, with the article's current slug and locale, ordered by
 * (kind, old) so the next page starts after `after`. `kind` is 'path' or 'slug'.
 */
export function redirectMapPageSql(
  params: SqlParams,
  now: Date,
  after: { kind: string; old: string } | null,
  limit: number,
): string {
  const from = after
    ? `WHERE (m.kind > ${params.add(after.kind)} OR (m.kind = ${params.add(after.kind)} AND m.old > ${params.add(after.old)}))`
    : '';
  return `SELECT m.kind, m.old, a.slug, a.locale FROM (
      SELECT 'path' AS kind, path AS old, article_id FROM article_old_path
      UNION ALL SELECT 'slug', slug, article_id FROM article_slug
    ) m JOIN article a ON a.internal_id = m.article_id AND ${publicArticleCondition(params, now)}
    ${from}
    ORDER BY m.kind, m.old LIMIT ${params.add(limit)}`;
}
