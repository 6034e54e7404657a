import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { RateLimits } from '../config';

/** The outcome of counting one request against a limit. */
export interface RateLimitResult {
  allowed: boolean;
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Seconds until the window resets (at least 1): the Retry-After value. */
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters: `hit` adds `weight` to the counter of `key` in the window that contains
 * `now` and says whether the total stays within `limit`. Fixed windows allow up to twice the limit
 * across a window boundary; that is accepted for abuse protection, where the order of magnitude
 * matters, not the exact count.
 */
export interface RateLimiter {
  hit(key: string, weight: number, limit: number, now: number): Promise<RateLimitResult>;
  close(): Promise<void>;
}

/**
 * The part of a rate-limit key that names the client: a SHA-256 digest of the address (or token
 * name), so neither memory dumps nor Redis keys hold a raw IP. The counters live one window.
 */
export function clientKey(kind: string, value: string): string {
  return `${kind}:${createHash('sha256').update(value).digest('base64url').slice(0, 22)}`;
}

/** Who a request counts against: its token, if it has a valid one, else its IP address. */
export interface RateLimitClient {
  tokenName: string | null;
  ip: string | undefined;
}

/** A request refused by its rate limit: the bucket (for metrics), the message and Retry-After. */
export interface RateLimitRefusal {
  bucket: string;
  message: string;
  retryAfterSeconds: number;
}

/**
 * Counts a request against its bucket, the one place that names buckets, builds their keys and
 * words their refusals (rateLimitPlugin and the view beacon alike): views (every recordView of the
 * request, `views` of them) count in views_token or views_ip, any other request once in token or
 * ip. Returns the refusal when the request is over the limit, else undefined; a limit of 0 is off.
 */
export async function hitRateLimit(
  limiter: RateLimiter,
  limits: RateLimits,
  client: RateLimitClient,
  views: number,
  now: number,
): Promise<RateLimitRefusal | undefined> {
  const byToken = client.tokenName !== null;
  const bucket = `${views ? 'views_' : ''}${byToken ? 'token' : 'ip'}`;
  const limit = views
    ? byToken
      ? limits.viewsPerToken
      : limits.viewsPerIp
    : byToken
      ? limits.perToken
      : limits.perIp;
  if (limit === 0) return undefined;
  const who = byToken
    ? clientKey('token', client.tokenName as string)
    : clientKey('ip', client.ip ?? 'unknown');
  const result = await limiter.hit(`${bucket}:${who}`, Math.max(1, views), limit, now);
  if (result.allowed) return undefined;
  const what = views ? 'recordView calls' : 'requests';
  return {
    bucket,
    message: `Too many ${what}: the limit is ${limit} per ${limits.windowSeconds} s for each ${byToken ? 'token' : 'IP address'}, got ${result.count}. Retry after ${result.retryAfterSeconds} s.`,
    retryAfterSeconds: result.retryAfterSeconds,
  };
}

function windowOf(now: number, windowMs: number) {
  const start = Math.floor(now / windowMs) * windowMs;
  return { start, retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - now) / 1000)) };
}

/** Counters in this process's memory: the default, right for a single replica. */
export function memoryRateLimiter(windowSeconds: number): RateLimiter {
  const windowMs = windowSeconds * 1000;
  const counters = new Map<string, { start: number; count: number }>();
  let lastSweep = 0;
  return {
    async hit(key, weight, limit, now) {
      const { start, retryAfterSeconds } = windowOf(now, windowMs);
      // Drop counters of past windows now and then, so memory follows the clients of one window.
      if (now - lastSweep > windowMs) {
        lastSweep = now;
        for (const [k, counter] of counters) if (counter.start < start) counters.delete(k);
      }
      const counter = counters.get(key);
      const count = (counter && counter.start === start ? counter.count : 0) + weight;
      counters.set(key, { start, count });
      return { allowed: count <= limit, count, retryAfterSeconds };
    },
    async close() {
      counters.clear();
    },
  };
}

// INCRBY and the expiry in one round trip, atomically; the key names the window, so it expires after it.
const hitScript = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if count == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return count`;

/**
 * Counters in Redis, shared by every replica that uses the same REDIS_URL and key prefix. If Redis
 * cannot be reached the request is allowed (failing open) and a warning logged: an outage of the
 * limiter must not become an outage of the site.
 */
export function redisRateLimiter(
  redis: Redis,
  prefix: string,
  windowSeconds: number,
  log: Logger,
): RateLimiter {
  const windowMs = windowSeconds * 1000;
  return {
    async hit(key, weight, limit, now) {
      const { start, retryAfterSeconds } = windowOf(now, windowMs);
      try {
        const count = Number(
          await redis.eval(hitScript, 1, `${prefix}rl:${key}:${start}`, weight, windowMs * 2),
        );
        return { allowed: count <= limit, count, retryAfterSeconds };
      } catch (error) {
        log.warn({ err: error }, 'rate limiter: Redis unavailable, request allowed');
        return { allowed: true, count: 0, retryAfterSeconds };
      }
    },
    async close() {
      // The Redis connection is shared and closed by its owner (the gateway).
    },
  };
}
