import { groupLoader } from './lookup';
import type { Sql } from '../db/SqlReader';
import { ArticleRevision } from '../entities/ArticleRevision';

/** The kept revisions of each article, newest first (at most REVISIONS_KEPT an article). */
export function revisionsByArticleId(db: Sql) {
  return groupLoader<ArticleRevision>(db, {
    select:
      'SELECT r.article_id, r.revision, r.created_at, r.token_name, r.operation, r.fields_changed FROM article_revision r',
    column: 'r.article_id',
    orderBy: 'r.article_id, r.revision DESC',
    map: row =>
      Object.assign(new ArticleRevision(), {
        articleId: Number(row.article_id),
        revision: Number(row.revision),
        createdAt: new Date(Number(row.created_at)),
        tokenName: row.token_name == null ? null : String(row.token_name),
        operation: String(row.operation),
        fieldsChanged: String(row.fields_changed),
      }),
    keyOf: row => Number(row.article_id),
  });
}
