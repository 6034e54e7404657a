import Redis from 'ioredis';
import type { Logger } from 'pino';

/**
 * One ioredis connection for the process. Commands fail fast while Redis is away (one retry, then
 * the callers fall back: rate limits allow, persisted queries miss), and it reconnects by itself.
 */
export function createRedis(url: string, log: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
  let reported = false;
  redis.on('error', error => {
    if (!reported) log.warn({ err: error }, 'Redis connection error');
    reported = true;
  });
  redis.on('ready', () => {
    reported = false;
  });
  return redis;
}
