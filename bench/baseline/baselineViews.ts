import { createHash } from 'node:crypto';
import type { BaselineContext } from './baselineHandlers';

/**
 * recordView and viewStats by hand. recordView is the naive write path the gateway's buffer is
 * measured against: look the article up and insert one event row per request (autocommit).
 */
const day = 86_400_000;

export const baselineEventTable = `CREATE TABLE IF NOT EXISTS bench_view_event (
  article_id integer NOT NULL,
  visitor_id varchar(200) NOT NULL,
  viewed_at bigint NOT NULL
)`;

export async function recordView(ctx: BaselineContext, vars: Record<string, unknown>) {
  const [article] = await ctx.sql.all(
    "SELECT a.internal_id FROM article a WHERE a.slug = ? AND a.status = 'PUBLISHED' AND a.published_at <= ?",
    [vars.slug, ctx.now],
  );
  if (!article) return { recordView: { counted: false } };
  await ctx.sql.run(
    'INSERT INTO bench_view_event (article_id, visitor_id, viewed_at) VALUES (?, ?, ?)',
    [article.internal_id, String(vars.visitorId), ctx.now],
  );
  return { recordView: { counted: true } };
}

/** Daily series for the named articles, dense, in id order, checked against a stored token. */
export async function viewStats(
  ctx: BaselineContext,
  vars: Record<string, unknown>,
  authorization: string | undefined,
) {
  const secret = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
  const [token] = await ctx.sql.all(
    'SELECT scopes FROM api_token WHERE secret_hash = ? AND revoked_at IS NULL',
    [createHash('sha256').update(secret).digest('hex')],
  );
  if (!token || !String(token.scopes).split(',').includes('analytics:read')) {
    throw new Error('FORBIDDEN');
  }
  const from = Math.floor(Date.parse(String(vars.from)) / day) * day;
  const to = Date.parse(String(vars.to));
  const starts: number[] = [];
  for (let start = from; start < to; start += day) starts.push(start);
  const end = starts.at(-1)! + day;
  const slugs = vars.slugs as string[];
  const list = `(${slugs.map(() => '?').join(', ')})`;
  const articles = await ctx.sql.all(
    `SELECT internal_id, slug FROM article WHERE slug IN ${list} ORDER BY internal_id LIMIT 101`,
    slugs,
  );
  const page = articles.slice(0, 100);
  const ids = page.map(row => Number(row.internal_id));
  const counts = new Map<number, number[]>(ids.map(id => [id, starts.map(() => 0)]));
  if (ids.length) {
    const idList = `(${ids.map(() => '?').join(', ')})`;
    const rows = await ctx.sql.all(
      `SELECT article_id, bucket_start, views FROM ${ctx.hourly} h WHERE article_id IN ${idList} AND bucket_start >= ? AND bucket_start < ?
       UNION ALL
       SELECT article_id, bucket_start, views FROM article_view_day WHERE article_id IN ${idList} AND bucket_start >= ? AND bucket_start < ?`,
      [...ids, from, end, ...ids, from, end],
    );
    for (const row of rows) {
      const index = Math.floor((Number(row.bucket_start) - from) / day);
      const series = counts.get(Number(row.article_id));
      if (series) series[index] += Number(row.views);
    }
  }
  return {
    viewStats: {
      edges: page.map(row => {
        const series = counts.get(Number(row.internal_id)) ?? [];
        return {
          node: {
            article: { slug: row.slug },
            total: series.reduce((sum, v) => sum + v, 0),
            points: starts.map((start, i) => ({
              start: new Date(start).toISOString(),
              views: series[i],
            })),
          },
        };
      }),
    },
  };
}
