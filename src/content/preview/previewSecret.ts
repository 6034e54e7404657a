import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import { dialectOf, SqlParams } from '../../db/dialect';
import type { Sql } from '../../db/SqlReader';
import { writeTransaction } from '../../db/writeTransaction';

/** Where the preview key comes from: PREVIEW_SECRET, else (outside production) the database. */
export type PreviewSecretSettings = Pick<Config, 'previewSecret' | 'production'>;

/** Preview links cannot be signed or checked: production without PREVIEW_SECRET. */
export class PreviewSecretMissingError extends Error {
  override readonly name = 'PreviewSecretMissingError';
  constructor(
    message = 'preview links are off: production needs PREVIEW_SECRET, which is not set.',
  ) {
    super(message);
  }
}

const secretName = 'preview';

/**
 * Makes sure a generated preview key exists where the operator gave none outside production, and
 * returns the key in use (null: links are off in production without PREVIEW_SECRET). The first
 * process to start inserts 32 random bytes; every other one (a restart, a replica) keeps that
 * row, so links survive restarts and work on every replica of the same database.
 */
export async function ensurePreviewSecret(
  db: DataSource,
  settings: PreviewSecretSettings,
  now: Date,
): Promise<string | null> {
  if (settings.previewSecret) return settings.previewSecret;
  if (settings.production) return null;
  return writeTransaction(db, async manager => {
    const insert = new SqlParams(dialectOf(db));
    // Two replicas starting at once both insert; the primary key keeps the first.
    await manager.query(
      `INSERT INTO gateway_secret (name, value, created_at)
       VALUES (${insert.add(secretName)}, ${insert.add(randomBytes(32).toString('base64url'))}, ${insert.add(now.getTime())})
       ON CONFLICT (name) DO NOTHING`,
      insert.values,
    );
    const select = new SqlParams(dialectOf(db));
    const rows: { value: string }[] = await manager.query(
      `SELECT value FROM gateway_secret WHERE name = ${select.add(secretName)}`,
      select.values,
    );
    return String(rows[0].value);
  });
}

/**
 * The preview key for a request: PREVIEW_SECRET, else the generated one (one indexed statement,
 * only for requests that carry or ask for a preview link). Throws PreviewSecretMissingError in
 * production without PREVIEW_SECRET.
 */
export async function previewSecret(sql: Sql, settings: PreviewSecretSettings): Promise<string> {
  if (settings.previewSecret) return settings.previewSecret;
  if (settings.production) throw new PreviewSecretMissingError();
  const params = new SqlParams(sql.dialect);
  const rows: { value: string }[] = await sql.query(
    `SELECT value FROM gateway_secret WHERE name = ${params.add(secretName)}`,
    params.values,
  );
  // The gateway writes it at start (ensurePreviewSecret); a database set up by another process
  // without it has no links until the gateway has started once.
  if (!rows[0]) {
    throw new PreviewSecretMissingError(
      'preview links are off until the gateway has started once on this database (it makes the key).',
    );
  }
  return String(rows[0].value);
}
