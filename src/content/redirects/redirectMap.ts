import { articleLocation } from './oldUrls';
import { SqlParams } from '../../db/dialect';
import { redirectMapPageSql } from '../../db/reads/oldPathRows';
import type { Sql } from '../../db/SqlReader';

/** One line of the redirect map: an old path and where it leads now. */
export interface RedirectMapRow {
  /** The old path as the import keeps it: decoded, lower-case, no trailing slash (/?p=1 kept). */
  from: string;
  /** The article's page per ARTICLE_URL_PATTERN (a path, or an absolute URL). */
  to: string;
}

export type RedirectMapFormat = 'csv' | 'nginx' | 'apache';
export const redirectMapFormats: readonly RedirectMapFormat[] = ['csv', 'nginx', 'apache'];

// Rows read per statement: memory holds one page, however many old paths a site has.
const rowsPerPage = 1000;

/** The path part of a location, for comparing with an old path. */
function pathOf(location: string): string {
  const path = location.replace(/^https?:\/\/[^/]+/i, '');
  return (path.length > 1 ? path.replace(/\/+$/, '') : path).toLowerCase();
}

/**
 * The redirect map, page by page: every old path of a published article (its WordPress
 * permalink, /?p=123, its Ghost URL) and every earlier slug of one (as a path of
 * ARTICLE_URL_PATTERN's shape), with the article's current page. A draft's old paths are not in
 * it; an old path that is the article's current page is left out (it would loop).
 */
export async function* redirectMapPages(
  sql: Sql,
  now: Date,
  pattern: string,
  pageSize = rowsPerPage,
): AsyncGenerator<RedirectMapRow[]> {
  let after: { kind: string; old: string } | null = null;
  for (;;) {
    const params = new SqlParams(sql.dialect);
    const rows: { kind: string; old: string; slug: string; locale: string }[] = await sql.query(
      redirectMapPageSql(params, now, after, pageSize),
      params.values,
    );
    const page: RedirectMapRow[] = [];
    for (const row of rows) {
      const to = articleLocation(pattern, { slug: String(row.slug), locale: String(row.locale) });
      const from =
        row.kind === 'slug'
          ? pathOf(articleLocation(pattern, { slug: String(row.old), locale: String(row.locale) }))
          : String(row.old);
      if (from !== pathOf(to)) page.push({ from, to });
    }
    if (page.length) yield page;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    after = { kind: String(last.kind), old: String(last.old) };
  }
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function nginxString(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** The first line of a format, before any row. */
export function redirectMapHeader(format: RedirectMapFormat): string {
  if (format === 'csv') return 'old_path,new_path,status\n';
  if (format === 'nginx') {
    return '# map $uri $redirect_to { include this file; } (README "Old URLs and redirects"); ?p= paths are answered by the redirect query\n';
  }
  return '# RewriteMap redirects "txt:<this file>" (README "Old URLs and redirects"); ?p= paths are answered by the redirect query\n';
}

/**
 * A page of the map as lines of a format: CSV (old_path,new_path,status), an nginx map include
 * (each old path with and without its trailing slash, as $uri holds it), or an Apache RewriteMap
 * txt file. nginx's and Apache's maps match the path without its query, so the /?p= lines are
 * only in the CSV; Apache's format cannot hold a space, so paths with one are only in the others.
 */
export function redirectMapLines(
  page: readonly RedirectMapRow[],
  format: RedirectMapFormat,
): string {
  const lines: string[] = [];
  for (const { from, to } of page) {
    if (format === 'csv') {
      lines.push(`${csvField(from)},${csvField(to)},301\n`);
      continue;
    }
    if (from.includes('?')) continue;
    const variants = from === '/' ? [from] : [from, `${from}/`];
    for (const variant of variants) {
      if (format === 'nginx') lines.push(`${nginxString(variant)} ${nginxString(to)};\n`);
      else if (!/\s/.test(variant) && !/\s/.test(to)) lines.push(`${variant} ${to}\n`);
    }
  }
  return lines.join('');
}
