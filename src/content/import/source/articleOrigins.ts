import type { EntityManager } from 'typeorm';
import type { SourceSystem } from './sourcePost';
import { dialectOf, SqlParams } from '../../../db/dialect';

/** The key of a post in its source: system, site and the source's own id. */
export interface OriginKey {
  source: SourceSystem;
  site: string;
  sourceId: string;
}

/**
 * An old URL or path as the gateway keeps and looks it up: the path only (a host is dropped, so
 * http://, https:// and www. forms of one link agree), percent-decoded, without a trailing slash
 * (but "/" itself), with the query string kept only where it names the post (WordPress' ?p=,
 * ?page_id=, ?attachment_id=), lower-cased. Null for what is not a path of a page.
 */
export function normalizeOldPath(urlOrPath: string): string | null {
  const text = urlOrPath.trim();
  if (text === '') return null;
  let url: URL;
  try {
    url = new URL(text, 'http://old.invalid');
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    path = url.pathname;
  }
  path = path.replace(/\/{2,}/g, '/');
  if (path.length > 1) path = path.replace(/\/+$/, '');
  const kept = ['p', 'page_id', 'attachment_id']
    .filter(name => url.searchParams.has(name))
    .map(name => `${name}=${url.searchParams.get(name)}`);
  const normalized = (kept.length ? `${path}?${kept.join('&')}` : path).toLowerCase();
  return normalized.length <= 2000 ? normalized : null;
}

/** The gateway's article that an earlier import made of this source post, if any. */
export async function articleIdOfOrigin(
  manager: EntityManager,
  key: OriginKey,
): Promise<number | null> {
  const params = new SqlParams(dialectOf(manager.connection));
  const rows: { article_id: number }[] = await manager.query(
    `SELECT article_id FROM article_origin
      WHERE source = ${params.add(key.source)} AND site = ${params.add(key.site)}
        AND source_id = ${params.add(key.sourceId)}`,
    params.values,
  );
  return rows.length ? Number(rows[0].article_id) : null;
}

/**
 * Remembers where an article lived: its source key and URL, and each old path. A path another
 * article already holds stays with that one and is returned, for the report.
 */
export async function recordOrigin(
  manager: EntityManager,
  articleId: number,
  origin: OriginKey & { url: string | null; oldPaths: readonly string[] },
  now: Date,
): Promise<string[]> {
  const dialect = dialectOf(manager.connection);
  const params = new SqlParams(dialect);
  await manager.query(
    `INSERT INTO article_origin (source, site, source_id, article_id, url, imported_at)
     VALUES ${params.list([origin.source, origin.site, origin.sourceId, articleId, origin.url, now.getTime()])}
     ON CONFLICT (source, site, source_id)
     DO UPDATE SET article_id = excluded.article_id, url = excluded.url`,
    params.values,
  );
  const paths = new Set<string>();
  for (const candidate of [...(origin.url ? [origin.url] : []), ...origin.oldPaths]) {
    const path = normalizeOldPath(candidate);
    if (path !== null && path !== '/') paths.add(path);
  }
  const taken: string[] = [];
  for (const path of paths) {
    const insert = new SqlParams(dialect);
    await manager.query(
      `INSERT INTO article_old_path (path, article_id)
       VALUES ${insert.list([path, articleId])} ON CONFLICT (path) DO NOTHING`,
      insert.values,
    );
    const check = new SqlParams(dialect);
    const owner: { article_id: number }[] = await manager.query(
      `SELECT article_id FROM article_old_path WHERE path = ${check.add(path)}`,
      check.values,
    );
    if (owner.length && Number(owner[0].article_id) !== articleId) taken.push(path);
  }
  return taken;
}
