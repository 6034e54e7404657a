import type { EntityManager } from 'typeorm';
import type { Dialect, SqlParams } from './dialect';

/**
 * Full-text search, the one place where its SQL differs: SQLite's FTS5 (bm25) and PostgreSQL's
 * tsvector with a GIN index (ts_rank_cd). Both index the folded text of src/content/textFolding.ts
 * with the 'simple' configuration and match every term as a prefix, so both find the same rows.
 */
export interface SearchSql {
  join: string;
  where: string;
  /** A relevance expression, higher is better, exact as a double on both dialects. */
  score: string;
}

/** SQL fragments that keep articles matching every term (already folded, letters and digits only). */
export function searchSql(params: SqlParams, terms: readonly string[]): SearchSql {
  if (params.dialect === 'postgres') {
    const query = `to_tsquery('simple', ${params.add(terms.map(term => `${term}:*`).join(' & '))})`;
    return {
      join: '',
      where: `a.search_vector @@ ${query}`,
      score: `ts_rank_cd(a.search_vector, ${query})::float8`,
    };
  }
  const match = params.add(terms.map(term => `"${term}"*`).join(' '));
  return {
    // Title hits weigh four times body hits; bm25 is lower for better matches, hence the minus.
    join: `JOIN (SELECT rowid AS article_id, -bm25(article_search, 4.0, 1.0) AS score FROM article_search WHERE article_search MATCH ${match}) s ON s.article_id = a.internal_id`,
    where: '1 = 1',
    score: 's.score',
  };
}

/** Replaces the search document of one article (title and body, already folded). */
export async function writeSearchDocument(
  manager: EntityManager,
  dialect: Dialect,
  articleId: number,
  title: string,
  body: string,
): Promise<void> {
  if (dialect === 'postgres') {
    await manager.query(
      "UPDATE article SET search_vector = setweight(to_tsvector('simple', $1), 'A') || setweight(to_tsvector('simple', $2), 'B') WHERE internal_id = $3",
      [title, body, articleId],
    );
    return;
  }
  await manager.query('DELETE FROM article_search WHERE rowid = ?', [articleId]);
  await manager.query('INSERT INTO article_search (rowid, title, body) VALUES (?, ?, ?)', [
    articleId,
    title,
    body,
  ]);
}

/** Removes the search document of an article about to be deleted (PostgreSQL's goes with the row). */
export async function deleteSearchDocument(
  manager: EntityManager,
  dialect: Dialect,
  articleId: number,
): Promise<void> {
  if (dialect === 'sqlite') {
    await manager.query('DELETE FROM article_search WHERE rowid = ?', [articleId]);
  }
}
