import type { DataSource, EntityManager } from 'typeorm';
import { parseEventPatterns } from './webhookEvents';
import { checkWebhookSecret, generateWebhookSecret, sealWebhookSecret } from './webhookSecret';
import type { WebhookEndpointSetting } from '../../../config';
import { dialectOf, SqlParams } from '../../../db/dialect';
import { writeTransaction } from '../../../db/writeTransaction';

/** An endpoint as the worker and the command see it. */
export interface WebhookEndpoint {
  id: number;
  url: string;
  events: string[];
  /** The stored secret (sealed or plain); null for the setting's endpoints. */
  storedSecret: string | null;
  /** Set for an endpoint of the WEBHOOKS setting (its secret is the setting's). */
  configKey: string | null;
  /** Epoch ms: the endpoint receives events that occurred from then on. */
  createdAt: number;
}

/** An endpoint cannot be added or removed as asked: the message says why. */
export class WebhookEndpointError extends Error {
  override readonly name = 'WebhookEndpointError';
}

/** Checks an endpoint URL: absolute http(s), no user or password in it. */
export function checkEndpointUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WebhookEndpointError(
      `expected an absolute http or https URL, got ${JSON.stringify(url)}.`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new WebhookEndpointError(`expected an http or https URL, got ${JSON.stringify(url)}.`);
  }
  if (parsed.username || parsed.password) {
    throw new WebhookEndpointError(
      'expected a URL without a user or password (the signature authenticates).',
    );
  }
  if (url.length > 2000)
    throw new WebhookEndpointError('expected a URL of at most 2000 characters.');
  return parsed.href;
}

/**
 * Registers an endpoint (npm run webhooks -- add): its secret is the one given, or a new one;
 * it is stored sealed with key (WEBHOOK_SECRET_KEY), or plain where key is null (the command
 * allows that outside production only). Returns the id and the secret to show once.
 */
export async function addEndpoint(
  db: DataSource,
  input: { url: string; events: string; secret?: string | null },
  key: Buffer | null,
  now: Date,
): Promise<{ id: number; secret: string; events: string[]; url: string }> {
  const url = checkEndpointUrl(input.url);
  const events = parseEventPatterns(input.events);
  const secret = input.secret ? checkWebhookSecret(input.secret) : generateWebhookSecret();
  const params = new SqlParams(dialectOf(db));
  const id = await writeTransaction(db, manager =>
    insertReturningId(
      manager,
      `INSERT INTO webhook_endpoint (url, events, secret, config_key, created_at)
       VALUES (${params.add(url)}, ${params.add(events.join(','))}, ${params.add(sealWebhookSecret(secret, key))}, NULL, ${params.add(now.getTime())})`,
      params.values,
    ),
  );
  return { id, secret, events, url };
}

/** Every endpoint, oldest first (secrets stay stored: the caller decides what to open). */
export async function listEndpoints(db: DataSource): Promise<WebhookEndpoint[]> {
  const rows: Record<string, unknown>[] = await db.query(
    'SELECT id, url, events, secret, config_key, created_at FROM webhook_endpoint ORDER BY id',
  );
  return rows.map(row => ({
    id: Number(row.id),
    url: String(row.url),
    events: String(row.events).split(','),
    storedSecret: row.secret === null ? null : String(row.secret),
    configKey: row.config_key === null ? null : String(row.config_key),
    createdAt: Number(row.created_at),
  }));
}

/**
 * Removes a command's endpoint with its queued deliveries and their log. The setting's
 * endpoints are removed by removing them from WEBHOOKS (a restart would bring them back).
 * Returns false where no such endpoint exists.
 */
export async function removeEndpoint(db: DataSource, id: number): Promise<boolean> {
  return writeTransaction(db, async manager => {
    const select = new SqlParams(dialectOf(db));
    const rows: { config_key: unknown }[] = await manager.query(
      `SELECT config_key FROM webhook_endpoint WHERE id = ${select.add(id)}`,
      select.values,
    );
    if (!rows[0]) return false;
    if (rows[0].config_key !== null) {
      throw new WebhookEndpointError(
        `endpoint ${id} comes from the WEBHOOKS setting; remove it there (and restart).`,
      );
    }
    const remove = new SqlParams(dialectOf(db));
    await manager.query(`DELETE FROM webhook_endpoint WHERE id = ${remove.add(id)}`, remove.values);
    return true;
  });
}

/** The config_key of a WEBHOOKS entry: its URL, and its place among entries of the same URL. */
export function configKeys(endpoints: readonly WebhookEndpointSetting[]): string[] {
  const seen = new Map<string, number>();
  return endpoints.map(endpoint => {
    const count = seen.get(endpoint.url) ?? 0;
    seen.set(endpoint.url, count + 1);
    return count === 0 ? endpoint.url : `${endpoint.url}#${count + 1}`;
  });
}

/**
 * Mirrors the WEBHOOKS setting into webhook_endpoint at start, so its endpoints have ids,
 * deliveries and a log like the command's: a new entry is added (receiving events from now on),
 * a kept one has its events updated, one no longer in the setting is removed with its queue.
 * The secrets are not stored: the worker takes them from the setting.
 */
export async function syncConfigEndpoints(
  db: DataSource,
  endpoints: readonly WebhookEndpointSetting[],
  now: Date,
): Promise<void> {
  const keys = configKeys(endpoints);
  const checked = endpoints.map(endpoint => ({
    url: checkEndpointUrl(endpoint.url),
    events: parseEventPatterns(endpoint.events).join(','),
  }));
  endpoints.forEach(endpoint => checkWebhookSecret(endpoint.secret));
  await writeTransaction(db, async manager => {
    const existing: { id: unknown; config_key: string }[] = await manager.query(
      'SELECT id, config_key FROM webhook_endpoint WHERE config_key IS NOT NULL',
    );
    for (const row of existing) {
      if (keys.includes(row.config_key)) continue;
      const params = new SqlParams(dialectOf(db));
      await manager.query(
        `DELETE FROM webhook_endpoint WHERE id = ${params.add(Number(row.id))}`,
        params.values,
      );
    }
    for (const [index, key] of keys.entries()) {
      const params = new SqlParams(dialectOf(db));
      // Two replicas starting at once both upsert; the unique config_key keeps one row.
      await manager.query(
        `INSERT INTO webhook_endpoint (url, events, secret, config_key, created_at)
         VALUES (${params.add(checked[index].url)}, ${params.add(checked[index].events)}, NULL, ${params.add(key)}, ${params.add(now.getTime())})
         ON CONFLICT (config_key) DO UPDATE SET events = excluded.events, url = excluded.url`,
        params.values,
      );
    }
  });
}

/** Runs one INSERT of a row with an id column and returns the id (both dialects). */
async function insertReturningId(
  manager: EntityManager,
  sql: string,
  values: unknown[],
): Promise<number> {
  if (manager.connection.options.type === 'postgres') {
    const rows: { id: unknown }[] = await manager.query(`${sql} RETURNING id`, values);
    return Number(rows[0].id);
  }
  await manager.query(sql, values);
  const rows: { id: unknown }[] = await manager.query('SELECT last_insert_rowid() AS id');
  return Number(rows[0].id);
}
