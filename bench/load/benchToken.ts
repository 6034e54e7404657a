import { randomBytes } from 'node:crypto';
import { hashSecret } from '../../src/access/apiTokens';
import type { BenchDatabase } from '../dataset/BenchDatabase';

/**
 * An analytics:read token for the viewStats scenario, stored as `npm run token -- create` stores
 * one (src/access/apiTokens.ts: the SHA-256 of the secret), written into the run's database.
 */
export async function createBenchToken(db: BenchDatabase): Promise<string> {
  const secret = `cgt_${randomBytes(32).toString('base64url')}`;
  const p = db.dialect === 'postgres' ? ['$1', '$2', '$3', '$4'] : ['?', '?', '?', '?'];
  await db.query(
    `INSERT INTO api_token (name, secret_hash, scopes, created_at) VALUES (${p.join(', ')})`,
    [`bench-${Date.now()}`, hashSecret(secret), 'analytics:read', Date.now()],
  );
  return secret;
}
