import type { EntityManager } from 'typeorm';
import { SqlParams, dialectOf } from '../../db/dialect';
import { ArticleSlug } from '../../entities/ArticleSlug';

/**
 * The article a slug names, as its current slug or an earlier one; null for a free slug. One
 * statement. A slug names at most one article: every write checks this before it takes a slug.
 */
export async function slugOwner(manager: EntityManager, slug: string): Promise<number | null> {
  const params = new SqlParams(dialectOf(manager.connection));
  const placeholder = params.add(slug);
  const rows: { article_id: number | string }[] = await manager.query(
    `SELECT internal_id AS article_id FROM article WHERE slug = ${placeholder}
     UNION ALL SELECT article_id FROM article_slug WHERE slug = ${placeholder}`,
    params.values,
  );
  return rows[0] ? Number(rows[0].article_id) : null;
}

/**
 * Records that an article moved from `from` to `to`: `from` becomes an earlier slug of it, and
 * `to`, where it was one, is its current slug again. The caller has checked `to` with slugOwner.
 */
export async function moveSlug(
  manager: EntityManager,
  articleId: number,
  from: string,
  to: string,
  now: Date,
): Promise<void> {
  await manager.delete(ArticleSlug, { slug: to, articleId });
  await manager.insert(ArticleSlug, { slug: from, articleId, retiredAt: now });
}

/**
 * Keeps `slugs` as earlier slugs of an article (the import's previousSlugs), where no article
 * has them yet; returns the ones another article holds, which are not taken.
 */
export async function keepEarlierSlugs(
  manager: EntityManager,
  articleId: number,
  slugs: readonly string[],
  now: Date,
): Promise<string[]> {
  const taken: string[] = [];
  for (const slug of slugs) {
    const owner = await slugOwner(manager, slug);
    if (owner === null) await manager.insert(ArticleSlug, { slug, articleId, retiredAt: now });
    else if (owner !== articleId) taken.push(slug);
  }
  return taken;
}
