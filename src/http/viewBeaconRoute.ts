import type http from 'node:http';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from '../config';
import {
  type BodyRules,
  bodyRefusal,
  methodRefusal,
  type Refusal,
  sendInternalError,
  sendRefusal,
} from './httpGuards';
import { headerOf, requestIdOf } from './incomingRequest';
import { hitRateLimit, type RateLimiter } from '../access/rateLimiter';
import type { SqlReader } from '../db/SqlReader';
import type { Clock } from '../ops/clock';
import type { Metrics } from '../ops/metrics';
import { recordEngagement } from '../views/recordEngagement';
import { recordView } from '../views/recordView';
import type { ViewServices } from '../views/viewServices';

export interface ViewBeaconRouteOptions {
  reader: SqlReader;
  config: Config;
  clock: Clock;
  log: Logger;
  views: ViewServices;
  limiter: RateLimiter;
  metrics: Metrics;
  /** The client's address, as express's req.ip gives it under TRUST_PROXY. */
  clientIp: (req: http.IncomingMessage) => string | undefined;
}

// {"slug": ..., "visitorId": ...} is well under 1 kB; with a referrer and the page's URL (2,000
// characters each at most) a beacon stays under 6 kB. sendBeacon sends its body as it is, so no
// Content-Encoding is read.
const bodyRules: BodyRules = {
  limitBytes: 6144,
  limitSource: "a beacon's fixed limit",
  encodings: ['identity'],
};

/** The GraphQL spelling of a reason a view was not counted, as recordView's payload gives it. */
const reasonName = (reason: string | null) => (reason === null ? null : reason.toUpperCase());

// POST is the beacon; a CORS preflight (OPTIONS) is answered before the route (src/http/cors.ts),
// another OPTIONS and TRACE are refused here (405). Other methods are left to express (404).
const beaconMethods = new Set(['POST', 'OPTIONS', 'TRACE']);

/**
 * Whether the beacon route answers a request: POST /views, with or without a query string, and
 * the OPTIONS and TRACE it refuses.
 */
export function isViewBeacon(req: http.IncomingMessage): boolean {
  const url = req.url ?? '';
  return (
    beaconMethods.has(req.method ?? '') &&
    url.startsWith('/views') &&
    (url.length === 6 || url[6] === '?')
  );
}

/**
 * POST /views: the recordView mutation as a beacon, for navigator.sendBeacon and the like. The body
 * is `{"slug": "...", "visitorId": "..."}` (or `articleId` instead of `slug`; optionally
 * `referrer`, `pageUrl` and `viewId`), or an engagement report `{"viewId", "visibleSeconds",
 * "scrollPercent"}` (recordEngagement, answered `{"counted", "reason", "read"}`), sent as JSON or as
 * text/plain, which is what sendBeacon sends without a CORS preflight. The same guard, buffer and
 * per-IP view limit as the mutation; the answer is `{"counted": true|false, "reason": ...}`, and
 * errors have the GraphQL shape and codes. It skips GraphQL parsing, validation and execution, which
 * are most of a recordView's cost, and express: the server hands it the requests isViewBeacon picks
 * before express sees them (README "Performance").
 */
export function viewBeaconRoute(
  options: ViewBeaconRouteOptions,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const { log, metrics } = options;
  return (req, res) => {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    const wrongMethod = methodRefusal(req.method, '/views', ['POST']);
    if (wrongMethod) {
      req.resume();
      sendRefusal(res, wrongMethod);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= bodyRules.limitBytes) chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const done = (outcome: string) =>
        // Beacons are many and the view metrics count them; a line each only at debug level.
        log.debug({ requestId, route: 'views', status: res.statusCode, outcome }, 'view beacon');
      const refusal = beaconBodyRefusal(req, size, metrics);
      if (refusal) {
        done(refuse(res, refusal));
        return;
      }
      answerBeacon(options, req, res, Buffer.concat(chunks).toString('utf8')).then(
        done,
        (error: unknown) => done(answerFailure(log, res, requestId, error)),
      );
    });
  };
}

/**
 * The body's refusal, once read off in full so that its true size is known: any
 * Content-Encoding (415) or more than the beacon's limit (413), by the mapping /graphql uses.
 */
function beaconBodyRefusal(
  req: http.IncomingMessage,
  size: number,
  metrics: Metrics,
): Refusal | null {
  const encoding = (headerOf(req, 'content-encoding') ?? 'identity').trim().toLowerCase();
  const bodyError =
    encoding !== 'identity'
      ? { type: 'encoding.unsupported', status: 415, encoding }
      : size > bodyRules.limitBytes
        ? { type: 'entity.too.large', status: 413, length: size }
        : null;
  return bodyError && bodyRefusal(bodyError, bodyRules, metrics);
}

/**
 * A beacon whose body has been read: its content type and JSON, the per-IP view limit, then
 * recordView, all at the request's one "now". Returns the outcome for the log line.
 */
async function answerBeacon(
  options: ViewBeaconRouteOptions,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  text: string,
): Promise<string> {
  const { reader, config, clock, views, limiter, metrics, clientIp } = options;
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'text/plain' && type !== 'application/json') {
    return fail(
      res,
      415,
      'BAD_REQUEST',
      `The body must be JSON sent as application/json or text/plain, got ${type || 'no content type'}.`,
    );
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return fail(
      res,
      400,
      'BAD_USER_INPUT',
      'The body must be a JSON object, got text that is not JSON.',
    );
  }
  const args = beaconArgs(input);
  if (typeof args === 'string') return fail(res, 400, 'BAD_USER_INPUT', args);
  const now = clock();
  if (args.visibleSeconds !== undefined) {
    // An engagement report on page leave: no view, so no view limit; claimed once per viewId.
    if (args.viewId === undefined) {
      return fail(
        res,
        400,
        'BAD_USER_INPUT',
        'An engagement report (visibleSeconds) needs the viewId of its view.',
      );
    }
    const engagement = await recordEngagement({ now, views }, config.views, {
      viewId: args.viewId,
      visibleSeconds: args.visibleSeconds,
      scrollPercent: args.scrollPercent,
    });
    send(res, 200, {
      counted: engagement.counted,
      reason: engagement.reason === 'unknown' ? 'UNKNOWN_VIEW' : reasonName(engagement.reason),
      read: engagement.read,
    });
    return engagement.reason ? `engagement_${engagement.reason}` : 'engagement';
  }
  const ip = clientIp(req);
  if (config.rateLimits.enabled) {
    // The same bucket, key and message as recordView mutations from this address (rateLimitPlugin).
    const refusal = await hitRateLimit(
      limiter,
      config.rateLimits,
      { tokenName: null, ip },
      1,
      now.getTime(),
    );
    if (refusal) {
      metrics.rateLimited.inc({ bucket: refusal.bucket });
      res.setHeader('retry-after', String(refusal.retryAfterSeconds));
      return fail(res, 429, 'RATE_LIMITED', refusal.message);
    }
  }
  const result = await recordView(
    {
      sql: reader,
      now,
      views,
      request: {
        ip: ip ?? null,
        userAgent: req.headers['user-agent'] ?? null,
        purpose: headerOf(req, 'sec-purpose') ?? headerOf(req, 'purpose') ?? null,
      },
    },
    args,
  );
  send(res, 200, { counted: result.counted, reason: reasonName(result.reason) });
  return result.reason ?? 'counted';
}

/**
 * A beacon that failed: a client error with its own code, status and headers (SERVICE_UNAVAILABLE:
 * 503 and Retry-After), else the masked internal error with the request id, logged.
 */
function answerFailure(
  log: Logger,
  res: http.ServerResponse,
  requestId: string,
  error: unknown,
): string {
  if (error instanceof GraphQLError && typeof error.extensions.code === 'string') {
    const head = error.extensions.http as
      | { status?: number; headers?: Map<string, string> }
      | undefined;
    for (const [name, value] of head?.headers ?? []) res.setHeader(name, value);
    const status = head?.status ?? (error.extensions.code === 'NOT_FOUND' ? 404 : 400);
    return fail(res, status, error.extensions.code, error.message);
  }
  log.error({ err: error, requestId, path: '/views' }, 'unexpected error in a view beacon');
  sendInternalError(res, requestId);
  return 'INTERNAL_SERVER_ERROR';
}

// Written by hand rather than with body-parser and res.json: on a request this small they cost
// more than the view (README "Performance"). Errors go through sendRefusal, as on /graphql.
function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    // Views are writes of a sort: never stored by a cache on the way.
    'cache-control': 'no-store',
  });
  res.end(text);
}

function fail(res: http.ServerResponse, status: number, code: string, message: string): string {
  return refuse(res, { status, error: new GraphQLError(message, { extensions: { code } }) });
}

/** Sends a refusal; returns its code for the log line. */
function refuse(res: http.ServerResponse, refusal: Refusal): string {
  sendRefusal(res, refusal);
  return String(refusal.error.extensions.code);
}

/** A beacon's fields: a view's (strings), or an engagement report's (visibleSeconds and its numbers). */
interface BeaconArgs {
  slug?: string;
  articleId?: string;
  visitorId?: string;
  referrer?: string;
  pageUrl?: string;
  viewId?: string;
  visibleSeconds?: number;
  scrollPercent?: number;
}

const stringFields = new Set(['slug', 'articleId', 'visitorId', 'referrer', 'pageUrl', 'viewId']);
const numberFields = new Set(['visibleSeconds', 'scrollPercent']);

/** The recordView (or recordEngagement) arguments of a beacon body, or what is wrong with it. */
function beaconArgs(input: unknown): BeaconArgs | string {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return `The body must be a JSON object with slug or articleId, got ${Array.isArray(input) ? 'an array' : typeof input}.`;
  }
  const args: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(input)) {
    const isString = stringFields.has(key);
    if (!isString && !numberFields.has(key)) {
      return `Unknown field ${JSON.stringify(key.slice(0, 40))}; a beacon has slug or articleId, visitorId, referrer, pageUrl and viewId, or an engagement report's viewId, visibleSeconds and scrollPercent.`;
    }
    if (value === null || value === undefined) continue;
    if (isString && typeof value !== 'string') {
      return `${key} must be a string, got ${typeof value}.`;
    }
    if (!isString && typeof value !== 'number') {
      return `${key} must be a number, got ${typeof value}.`;
    }
    if (typeof value === 'string' && value.includes('\u0000')) {
      return 'Strings must not contain the NUL character (U+0000), got one that does.';
    }
    args[key] = value;
  }
  return args as BeaconArgs;
}
