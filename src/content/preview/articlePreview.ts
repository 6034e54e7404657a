import {
  type PreviewSecretSettings,
  PreviewSecretMissingError,
  previewSecret,
} from './previewSecret';
import { PreviewTokenError, verifyPreviewToken } from './previewToken';
import { requireScope } from '../../access/requireScope';
import type { Viewer } from '../../access/viewer';
import { SqlParams } from '../../db/dialect';
import { articleColumns, articleFromRow } from '../../db/reads/articleRows';
import type { Sql } from '../../db/SqlReader';
import type { Article } from '../../entities/Article';
import { ForbiddenError } from '../../errors/ForbiddenError';
import { readPendingChange, withPendingChange } from '../editorial/pendingChanges';

/** What a preview read needs of its request. */
export interface PreviewRequest {
  sql: Sql;
  viewer: Viewer;
  now: Date;
  secret: PreviewSecretSettings;
}

/** The article asked for: by slug or by internal id (null where the id names no article). */
export interface PreviewLookup {
  slug: string | null;
  internalId: number | null;
  /** A preview link's token; null for a read with the viewer's own scope. */
  previewToken: string | null;
}

/** The scopes that may read unpublished articles: content:write implies content:preview. */
export function requirePreviewScope(viewer: Viewer): void {
  if (!viewer.scopes.has('content:write')) requireScope(viewer, 'content:preview');
}

/**
 * An article in any status (draft, scheduled, archived, published), with its pending change
 * applied where it has one (the newest unpublished revision of a published article), for a viewer with
 * content:preview (or content:write), or with a preview token for this very article; null where
 * no article has that slug or id. Never a silent null for a missing right: UNAUTHENTICATED
 * without a token, FORBIDDEN for a token without the scope and for a preview token that is
 * malformed, forged, expired or for another article.
 */
export async function previewArticle(
  request: PreviewRequest,
  lookup: PreviewLookup,
): Promise<Article | null> {
  const grant =
    lookup.previewToken === null ? null : await checkToken(request, lookup.previewToken);
  if (!grant) requirePreviewScope(request.viewer);
  if (lookup.slug === null && lookup.internalId === null) {
    if (grant) throw forOtherArticle();
    return null;
  }
  const params = new SqlParams(request.sql.dialect);
  const condition =
    lookup.slug !== null
      ? `a.slug = ${params.add(lookup.slug)}`
      : `a.internal_id = ${params.add(lookup.internalId)}`;
  const rows: Record<string, unknown>[] = await request.sql.query(
    `SELECT ${articleColumns} FROM article a WHERE ${condition}`,
    params.values,
  );
  const article = rows[0] ? articleFromRow(rows[0]) : null;
  // A link opens one article only: another slug is refused, not answered null, so a reviewer
  // with a link for a renamed article learns the link is not for what they asked.
  if (grant && article?.internalId !== grant.articleId) throw forOtherArticle();
  if (!article) return null;
  const pending = await readPendingChange(request.sql, request.sql.dialect, article.internalId);
  return pending ? withPendingChange(article, pending) : article;
}

function forOtherArticle(): ForbiddenError {
  return new ForbiddenError(
    'the preview token is for another article: a preview link opens only the article it was made for.',
  );
}

async function checkToken(request: PreviewRequest, token: string) {
  try {
    const secret = await previewSecret(request.sql, request.secret);
    return verifyPreviewToken(secret, token, request.now);
  } catch (error) {
    if (error instanceof PreviewTokenError || error instanceof PreviewSecretMissingError) {
      throw new ForbiddenError(error.message);
    }
    throw error;
  }
}
