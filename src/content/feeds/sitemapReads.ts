import { SqlParams } from '../../db/dialect';
import { publicArticleCondition } from '../../db/reads/articleRows';
import { date, type Row, text } from '../../db/reads/rowValues';
import type { Sql } from '../../db/SqlReader';

/** What a sitemap says of one article. */
export interface SitemapArticle {
  internalId: number;
  slug: string;
  title: string;
  locale: string;
  publishedAt: Date;
  updatedAt: Date;
  /** Shared by the versions of one story in several languages; null for a story in one. */
  translationKey: string | null;
}

/** One file of a split sitemap: its number (from 1) and its newest change. */
export interface SitemapFile {
  page: number;
  lastmod: Date;
}

const sitemapColumns =
  'a.internal_id, a.slug, a.title, a.locale, a.published_at, a.updated_at, a.translation_key';

function sitemapArticleFromRow(row: Row): SitemapArticle {
  return {
    internalId: Number(row.internal_id),
    slug: String(row.slug),
    title: String(row.title),
    locale: String(row.locale),
    publishedAt: date(row.published_at) as Date,
    updatedAt: date(row.updated_at) as Date,
    translationKey: text(row.translation_key),
  };
}

/** How many public articles there are and when the newest change was: one statement. */
export async function sitemapSize(
  sql: Sql,
  now: Date,
): Promise<{ count: number; lastmod: Date | null }> {
  const params = new SqlParams(sql.dialect);
  const [row] = await sql.query(
    `SELECT COUNT(*) AS n, MAX(a.updated_at) AS lastmod FROM article a WHERE ${publicArticleCondition(params, now)}`,
    params.values,
  );
  return { count: Number(row?.n ?? 0), lastmod: date(row?.lastmod) };
}

/**
 * The files of a sitemap split `perFile` URLs each (articles in id order, so an article stays in
 * its file as others are added), each with its newest change: one statement.
 */
export async function sitemapFiles(sql: Sql, now: Date, perFile: number): Promise<SitemapFile[]> {
  const params = new SqlParams(sql.dialect);
  const condition = publicArticleCondition(params, now);
  const rows = await sql.query(
    `SELECT n.page, MAX(n.updated_at) AS lastmod FROM (SELECT (row_number() OVER (ORDER BY a.internal_id) - 1) / ${params.add(perFile)} + 1 AS page, a.updated_at FROM article a WHERE ${condition}) n GROUP BY n.page ORDER BY n.page`,
    params.values,
  );
  return rows.map(row => ({ page: Number(row.page), lastmod: date(row.lastmod) as Date }));
}

/** The public articles of one sitemap file (1-based), in id order: one statement. */
export async function sitemapPage(
  sql: Sql,
  now: Date,
  page: number,
  perFile: number,
): Promise<SitemapArticle[]> {
  const params = new SqlParams(sql.dialect);
  const condition = publicArticleCondition(params, now);
  const rows = await sql.query(
    `SELECT ${sitemapColumns} FROM article a WHERE ${condition} ORDER BY a.internal_id LIMIT ${params.add(perFile)} OFFSET ${params.add((page - 1) * perFile)}`,
    params.values,
  );
  return rows.map(sitemapArticleFromRow);
}

/**
 * The public versions of the stories `keys` (translation keys), for hreflang alternates: one
 * statement for any number of keys, none for none.
 */
export async function translationsOf(
  sql: Sql,
  keys: readonly string[],
  now: Date,
): Promise<SitemapArticle[]> {
  if (keys.length === 0) return [];
  const found: SitemapArticle[] = [];
  // In slices, as a page of 50,000 articles may hold as many keys (SQLite allows 32,766 parameters).
  for (let start = 0; start < keys.length; start += 1000) {
    const slice = new SqlParams(sql.dialect);
    const rows = await sql.query(
      `SELECT ${sitemapColumns} FROM article a WHERE a.translation_key IN ${slice.list(keys.slice(start, start + 1000))} AND ${publicArticleCondition(slice, now)}`,
      slice.values,
    );
    found.push(...rows.map(sitemapArticleFromRow));
  }
  return found;
}

/**
 * Google News: public articles published within `windowMs` of now (48 hours, Google's rule),
 * newest first, at most `limit` (Google reads 1,000 per news sitemap): one statement.
 */
export async function recentArticles(
  sql: Sql,
  now: Date,
  windowMs: number,
  limit: number,
): Promise<SitemapArticle[]> {
  const params = new SqlParams(sql.dialect);
  const rows = await sql.query(
    `SELECT ${sitemapColumns} FROM article a WHERE ${publicArticleCondition(params, now)} AND a.published_at > ${params.add(now.getTime() - windowMs)} ORDER BY a.published_at DESC, a.internal_id DESC LIMIT ${params.add(limit)}`,
    params.values,
  );
  return rows.map(sitemapArticleFromRow);
}
