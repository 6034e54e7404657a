import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a preview token grants: reading one article, in any status, until it expires. */
export interface PreviewGrant {
  articleId: number;
  expiresAt: Date;
}

/** A preview token that is malformed, forged, expired or for another article; the message says which. */
export class PreviewTokenError extends Error {
  override readonly name = 'PreviewTokenError';
}

const prefix = 'cgp_';
// The signed text names its purpose and version: a MAC made for something else never verifies here.
const context = 'content-gateway preview v1';
const tokenPattern = /^cgp_([1-9][0-9]{0,15})\.([1-9][0-9]{0,15})\.([A-Za-z0-9_-]{43})$/;

/** At least a minute, at most 30 days: a preview link is for a review, not a permanent share. */
export const previewTtlBounds = { minSeconds: 60, maxSeconds: 30 * 86_400 } as const;

function mac(secret: string, articleId: number, expiresAtMs: number): Buffer {
  return createHmac('sha256', secret).update(`${context}\n${articleId}\n${expiresAtMs}`).digest();
}

/**
 * A token for one article until `expiresAt`: `cgp_<article id>.<expiry in epoch ms>.<HMAC-SHA256
 * of both, base64url>`. The id and expiry are readable (they are no secret); the MAC makes them
 * unforgeable without the secret.
 */
export function signPreviewToken(secret: string, grant: PreviewGrant): string {
  const expiresAtMs = grant.expiresAt.getTime();
  const signature = mac(secret, grant.articleId, expiresAtMs).toString('base64url');
  return `${prefix}${grant.articleId}.${expiresAtMs}.${signature}`;
}

/**
 * The grant of a token, checked against the secret and `now`; throws PreviewTokenError for a
 * malformed, forged or expired token. The MAC is compared in constant time.
 */
export function verifyPreviewToken(secret: string, token: string, now: Date): PreviewGrant {
  const match = tokenPattern.exec(token);
  if (!match) {
    throw new PreviewTokenError(
      'expected a preview token such as cgp_<id>.<expiry>.<signature>, got something else.',
    );
  }
  const articleId = Number(match[1]);
  const expiresAtMs = Number(match[2]);
  const given = Buffer.from(match[3], 'base64url');
  const expected = mac(secret, articleId, expiresAtMs);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new PreviewTokenError('the preview token is not valid: its signature does not match.');
  }
  if (expiresAtMs <= now.getTime()) {
    throw new PreviewTokenError(
      `the preview token expired at ${new Date(expiresAtMs).toISOString()}; ask for a new link.`,
    );
  }
  return { articleId, expiresAt: new Date(expiresAtMs) };
}

/**
 * A TTL of a preview link in seconds, from seconds or from "90s", "30m", "2h", "7d"; throws
 * PreviewTokenError outside previewTtlBounds.
 */
export function parsePreviewTtl(value: string | number): number {
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else {
    const match = /^\s*(\d{1,7})\s*([smhd]?)\s*$/.exec(value);
    if (!match) {
      throw new PreviewTokenError(
        `expected a TTL such as 90s, 30m, 2h or 7d, got ${JSON.stringify(value)}.`,
      );
    }
    seconds = Number(match[1]) * units[match[2] || 's'];
  }
  const { minSeconds, maxSeconds } = previewTtlBounds;
  if (!Number.isInteger(seconds) || seconds < minSeconds || seconds > maxSeconds) {
    throw new PreviewTokenError(
      `a preview link lives between ${minSeconds} s and ${maxSeconds / 86_400} days, got ${typeof value === 'number' ? `${value} s` : JSON.stringify(value)}.`,
    );
  }
  return seconds;
}
