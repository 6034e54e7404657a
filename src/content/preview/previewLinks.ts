import { requirePreviewScope } from './articlePreview';
import {
  type PreviewSecretSettings,
  PreviewSecretMissingError,
  previewSecret,
} from './previewSecret';
import {
  type PreviewGrant,
  PreviewTokenError,
  parsePreviewTtl,
  signPreviewToken,
} from './previewToken';
import type { Viewer } from '../../access/viewer';
import { SqlParams } from '../../db/dialect';
import type { Sql } from '../../db/SqlReader';
import { BadUserInputError } from '../../errors/BadUserInputError';
import { ForbiddenError } from '../../errors/ForbiddenError';
import { NotFoundError } from '../../errors/NotFoundError';

/** A signed preview link's token and what it grants. */
export interface PreviewLink extends PreviewGrant {
  token: string;
}

/**
 * A preview token for one article (by internal id, any status) valid `ttl` from `now`, for a
 * viewer with content:preview or content:write. NOT_FOUND for an unknown article, BAD_USER_INPUT
 * for a TTL out of bounds, FORBIDDEN where links are off (production without PREVIEW_SECRET).
 */
export async function createPreviewLink(
  request: { sql: Sql; viewer: Viewer; now: Date; secret: PreviewSecretSettings },
  articleId: number | null,
  ttl: number | string,
  describe: string,
): Promise<PreviewLink> {
  requirePreviewScope(request.viewer);
  let seconds: number;
  try {
    seconds = parsePreviewTtl(ttl);
  } catch (error) {
    if (error instanceof PreviewTokenError) throw new BadUserInputError(error.message);
    throw error;
  }
  let secret: string;
  try {
    secret = await previewSecret(request.sql, request.secret);
  } catch (error) {
    if (error instanceof PreviewSecretMissingError) throw new ForbiddenError(error.message);
    throw error;
  }
  if (articleId === null || !(await articleExists(request.sql, articleId))) {
    throw new NotFoundError(`No article with id ${describe}.`);
  }
  const grant = { articleId, expiresAt: new Date(request.now.getTime() + seconds * 1000) };
  return { ...grant, token: signPreviewToken(secret, grant) };
}

async function articleExists(sql: Sql, articleId: number): Promise<boolean> {
  const params = new SqlParams(sql.dialect);
  const rows: unknown[] = await sql.query(
    `SELECT 1 FROM article WHERE internal_id = ${params.add(articleId)}`,
    params.values,
  );
  return rows.length > 0;
}
