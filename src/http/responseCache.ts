import type http from 'node:http';
import type { HTTPGraphQLResponse } from '@apollo/server';
import { Counter, type Registry } from 'prom-client';
import { headerOf } from './incomingRequest';
import type { Clock } from '../ops/clock';
import type { ResponseStore, StoredResponse } from '../ops/responseStore';

export interface ResponseCacheOptions {
  store: ResponseStore;
  clock: Clock;
  /** The gateway's metrics registry: gateway_response_cache_total is registered on it. */
  registry: Registry;
  /** PUBLIC_URL is set, so no answer depends on the request's Host or protocol. */
  fixedBaseUrl: boolean;
  /** A hit says x-sql-statements: 0 (outside production, as the metrics plugin does). */
  exposeStatementCount: boolean;
}

// Apollo's CSRF prevention (on by default): a GET passes with one of these headers, or with a
// content-type a browser cannot send without a preflight. A hit must not answer what Apollo refuses.
const preflightHeaders = ['x-apollo-operation-name', 'apollo-require-preflight'];
const simpleContentTypes = new Set([
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
]);

// Headers of one request, not of the answer: never replayed.
const perRequestHeaders = new Set(['x-sql-statements', 'x-request-id', 'set-cookie']);

/** The lifetime a shared cache may keep an answer: s-maxage where set, else max-age, for public ones. */
export function sharedLifetimeSeconds(cacheControl: string | undefined): number | null {
  if (!cacheControl || !/(^|,)\s*public\s*(,|$)/.test(cacheControl)) return null;
  if (/(^|,)\s*(no-store|private|no-cache)/.test(cacheControl)) return null;
  const shared = /(?:^|,)\s*s-maxage=(\d+)/.exec(cacheControl);
  const own = /(?:^|,)\s*max-age=(\d+)/.exec(cacheControl);
  const seconds = Number((shared ?? own)?.[1] ?? NaN);
  return seconds > 0 ? seconds : null;
}

/**
 * The gateway's own cache of public answers (README "Caching"): token-less GETs and persisted-query
 * POSTs (a hash, no query text) are answered from the store without Apollo, a resolver or SQL.
 * The request key holds what the answer varies by: Accept (Apollo picks the content type by it),
 * and Host and X-Forwarded-* where PUBLIC_URL is unset (absolute media URLs come from them); CORS
 * headers are set per request before the route, so Origin needs no entry. Only answers whose
 * Cache-Control is public are stored (a preview, an Authorization header, an error or a mutation
 * never is), for s-maxage or max-age (never longer), under the keys of what they contain, and
 * `invalidate` drops them when a change names one. An answer whose request ran while an
 * invalidation happened is not stored: it may hold what that change replaced.
 */
export class ResponseCache {
  private generation = 0;
  private readonly results: Counter;

  constructor(private readonly options: ResponseCacheOptions) {
    this.results = new Counter({
      name: 'gateway_response_cache_total',
      help: 'Response cache lookups and stores by result: hit, miss, stored, stale (not stored: a change came meanwhile), invalidated (keys dropped).',
      labelNames: ['result'],
      registers: [options.registry],
    });
  }

  /** The request's cache key, or null where its answer is never cached. */
  keyOf(req: http.IncomingMessage, method: string, search: string, body: unknown): string | null {
    if (req.headers.authorization !== undefined) return null;
    const vary = this.options.fixedBaseUrl
      ? (headerOf(req, 'accept') ?? '')
      : [
          headerOf(req, 'accept') ?? '',
          headerOf(req, 'host') ?? '',
          headerOf(req, 'x-forwarded-proto') ?? '',
          headerOf(req, 'x-forwarded-host') ?? '',
        ].join('\n');
    if (method === 'GET') return preflighted(req) ? `G\n${vary}\n${search}` : null;
    if (method !== 'POST' || !body || typeof body !== 'object') return null;
    const { query, extensions, operationName, variables } = body as Record<string, unknown>;
    const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)
      ?.persistedQuery?.sha256Hash;
    if (query !== undefined || typeof hash !== 'string') return null;
    return `P\n${vary}\n${JSON.stringify([hash, operationName ?? null, variables ?? null])}`;
  }

  /** The stored answer of a key, or null. */
  async lookup(key: string): Promise<StoredResponse | null> {
    const found = await this.options.store.get(key);
    this.results.inc({ result: found ? 'hit' : 'miss' });
    return found;
  }

  /** What a lookup that missed passes to `store`: the invalidations seen so far. */
  get mark(): number {
    return this.generation;
  }

  /** Keeps Apollo's answer where it is public and no invalidation happened since `mark`. */
  async store(
    key: string,
    mark: number,
    response: HTTPGraphQLResponse,
    tags: Iterable<string>,
  ): Promise<void> {
    if (response.body.kind !== 'complete' || (response.status ?? 200) !== 200) return;
    const seconds = sharedLifetimeSeconds(response.headers.get('cache-control'));
    if (seconds === null) return;
    if (mark !== this.generation) {
      this.results.inc({ result: 'stale' });
      return;
    }
    const headers: [string, string][] = [];
    for (const [name, value] of response.headers) {
      if (!perRequestHeaders.has(name)) headers.push([name, value]);
    }
    const stored: StoredResponse = {
      status: 200,
      headers,
      body: response.body.string,
      storedAt: this.options.clock().getTime(),
    };
    await this.options.store.set(key, stored, seconds * 1000, [...tags]);
    this.results.inc({ result: 'stored' });
  }

  /** Drops every stored answer that carries one of the keys; requests running now store nothing. */
  async invalidate(keys: readonly string[]): Promise<void> {
    this.generation++;
    await this.options.store.invalidate(keys);
    this.results.inc({ result: 'invalidated' }, keys.length);
  }

  /** The headers of a hit: the stored ones, its Age, x-cache: HIT. */
  hitHeaders(stored: StoredResponse): [string, string][] {
    const age = Math.max(0, Math.floor((this.options.clock().getTime() - stored.storedAt) / 1000));
    const headers: [string, string][] = [
      ...stored.headers,
      ['age', String(age)],
      ['x-cache', 'HIT'],
    ];
    if (this.options.exposeStatementCount) headers.push(['x-sql-statements', '0']);
    return headers;
  }
}

/** Whether a GET passes Apollo's CSRF prevention (its rule, applied before Apollo is asked). */
function preflighted(req: http.IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (type !== undefined && !simpleContentTypes.has(type.split(';')[0].trim().toLowerCase())) {
    return true;
  }
  return preflightHeaders.some(name => Boolean(req.headers[name]));
}
