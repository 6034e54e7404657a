import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { anonymousViewer, type Viewer } from './viewer';
import { unavailableOr } from '../db/databaseUnavailable';
import { dialectOf, SqlParams } from '../db/dialect';
import type { Sql } from '../db/SqlReader';
import { writeTransaction } from '../db/writeTransaction';

/** The scopes a token may carry; content:* are reserved for the editorial API. */
export const tokenScopes = ['analytics:read', 'content:preview', 'content:write'] as const;
export type TokenScope = (typeof tokenScopes)[number];

export interface TokenInfo {
  name: string;
  scopes: string[];
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** A token's identity as a request sees it. */
export interface TokenIdentity {
  name: string;
  scopes: ReadonlySet<string>;
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const secretPrefix = 'cgt_';

/**
 * Secrets are 32 random bytes, so a single SHA-256 is the right hash: there is nothing to guess
 * that a slow password hash would protect (OWASP: slow hashes are for low-entropy passwords).
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export class TokenError extends Error {
  override readonly name = 'TokenError';
}

function checkScopes(scopes: readonly string[]): void {
  if (scopes.length === 0) {
    throw new TokenError(`expected at least one scope of ${tokenScopes.join(', ')}, got none.`);
  }
  for (const scope of scopes) {
    if (!(tokenScopes as readonly string[]).includes(scope)) {
      throw new TokenError(`expected scopes from ${tokenScopes.join(', ')}, got "${scope}".`);
    }
  }
}

/** Creates a token and returns its secret, which is not stored and cannot be shown again. */
export async function createToken(
  db: DataSource,
  name: string,
  scopes: readonly string[],
  now: Date,
): Promise<string> {
  if (!namePattern.test(name)) {
    throw new TokenError(
      `expected a name of letters, digits, dots, hyphens and underscores (at most 100), got "${name}".`,
    );
  }
  checkScopes(scopes);
  const secret = secretPrefix + randomBytes(32).toString('base64url');
  await writeTransaction(db, async manager => {
    const params = new SqlParams(dialectOf(db));
    const existing: unknown[] = await manager.query(
      `SELECT 1 FROM api_token WHERE name = ${params.add(name)}`,
      params.values,
    );
    if (existing.length > 0) {
      throw new TokenError(`a token named "${name}" exists already; names are never reused.`);
    }
    const insert = new SqlParams(dialectOf(db));
    await manager.query(
      `INSERT INTO api_token (name, secret_hash, scopes, created_at)
       VALUES (${insert.add(name)}, ${insert.add(hashSecret(secret))}, ${insert.add([...new Set(scopes)].join(','))}, ${insert.add(now.getTime())})`,
      insert.values,
    );
  });
  return secret;
}

export async function listTokens(db: DataSource): Promise<TokenInfo[]> {
  const rows: Record<string, unknown>[] = await db.query(
    'SELECT name, scopes, created_at, revoked_at, last_used_at FROM api_token ORDER BY created_at, name',
  );
  const date = (value: unknown) => (value == null ? null : new Date(Number(value)));
  return rows.map(row => ({
    name: String(row.name),
    scopes: String(row.scopes).split(','),
    createdAt: new Date(Number(row.created_at)),
    revokedAt: date(row.revoked_at),
    lastUsedAt: date(row.last_used_at),
  }));
}

/** Revokes a token at once; false where no active token has that name. */
export async function revokeToken(db: DataSource, name: string, now: Date): Promise<boolean> {
  return writeTransaction(db, async manager => {
    const params = new SqlParams(dialectOf(db));
    const found: unknown[] = await manager.query(
      `SELECT 1 FROM api_token WHERE name = ${params.add(name)} AND revoked_at IS NULL`,
      params.values,
    );
    if (found.length === 0) return false;
    const update = new SqlParams(dialectOf(db));
    await manager.query(
      `UPDATE api_token SET revoked_at = ${update.add(now.getTime())} WHERE name = ${update.add(name)}`,
      update.values,
    );
    return true;
  });
}

// last_used_at is written at most once a minute per token: a busy job does not write per request.
const lastUsedResolutionMs = 60_000;

/**
 * Looks up bearer secrets for requests. Every request reads the database (one indexed statement),
 * so a revoked token stops working at once. During a database outage no token is taken on trust:
 * a request with one answers SERVICE_UNAVAILABLE (503, Retry-After).
 */
export class TokenVerifier {
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(private readonly db: DataSource) {}

  /** The active token behind a secret, or null for an unknown or revoked one. */
  async verify(secret: string, now: Date, sql: Sql): Promise<TokenIdentity | null> {
    if (secret.length > 200) return null;
    const params = new SqlParams(sql.dialect);
    const rows: Record<string, unknown>[] = await sql.query(
      `SELECT name, scopes FROM api_token WHERE secret_hash = ${params.add(hashSecret(secret))} AND revoked_at IS NULL`,
      params.values,
    );
    const row = rows[0];
    if (!row) return null;
    const name = String(row.name);
    const written = this.lastUsedWritten.get(name);
    if (written === undefined || now.getTime() - written >= lastUsedResolutionMs) {
      this.lastUsedWritten.set(name, now.getTime());
      const update = new SqlParams(dialectOf(this.db));
      // The lookup runs on the reader, which answers an outage as SERVICE_UNAVAILABLE; so does
      // this write when the database goes away between the two.
      await writeTransaction(this.db, manager =>
        manager.query(
          `UPDATE api_token SET last_used_at = ${update.add(now.getTime())} WHERE name = ${update.add(name)}`,
          update.values,
        ),
      ).catch((error: unknown) => {
        throw unavailableOr(error);
      });
    }
    return { name, scopes: new Set(String(row.scopes).split(',')) };
  }
}

/** The secret of an `Authorization: Bearer <secret>` header; null where there is none. */
export function bearerSecret(header: string | undefined | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : '';
}

/**
 * The viewer of a request from its Authorization header: anonymous without one, the token's
 * name and scopes for an active token, and rejectedToken for anything else.
 */
export async function viewerFromAuthorization(
  verifier: TokenVerifier,
  header: string | undefined | null,
  now: Date,
  sql: Sql,
): Promise<Viewer> {
  const secret = bearerSecret(header);
  if (secret === null) return anonymousViewer;
  const token = secret === '' ? null : await verifier.verify(secret, now, sql);
  if (!token) return { tokenName: null, scopes: new Set(), rejectedToken: true };
  return { tokenName: token.name, scopes: token.scopes };
}
