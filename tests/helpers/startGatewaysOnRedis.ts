import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { TestClock } from './testClock';
import { startTestGateway, type TestGateway } from './testGateway';

export interface GatewaysOnRedis {
  first: TestGateway;
  second: TestGateway;
  /** A client of the same Redis, for looking at the keys the gateways write. */
  redis: Redis;
  /** The key prefix of this pair, fresh for each call. */
  prefix: string;
  /** Deletes the pair's keys, quits the client and closes both gateways. */
  close(): Promise<void>;
}

/**
 * Two replicas of the gateway on SQLite sharing one Redis under a fresh key prefix, as a
 * scaled-out deployment shares rate limits and persisted queries.
 */
export async function startGatewaysOnRedis(
  redisUrl: string,
  options: { env?: Record<string, string>; clock?: () => TestClock } = {},
): Promise<GatewaysOnRedis> {
  const prefix = `cg-test-${randomBytes(4).toString('hex')}:`;
  const env = { ...options.env, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix };
  const [first, second] = await Promise.all([
    startTestGateway('sqlite', { env, clock: options.clock?.() }),
    startTestGateway('sqlite', { env, clock: options.clock?.() }),
  ]);
  const redis = new Redis(redisUrl);
  return {
    first,
    second,
    redis,
    prefix,
    async close() {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      await Promise.all([first.close(), second.close()]);
    },
  };
}
