import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { ResponseStore, StoredResponse } from './responseStore';

// Drops the answers of each tag set (KEYS) and the sets, in one step: an answer stored meanwhile
// is either dropped with its set or stored after, never left behind a deleted set.
const invalidateScript = `
for _, tag in ipairs(KEYS) do
  local ids = redis.call('SMEMBERS', tag)
  for _, id in ipairs(ids) do redis.call('DEL', ARGV[1] .. id) end
  redis.call('DEL', tag)
end
return 0`;

/**
 * The response cache in Redis, shared by every replica: an answer under `<prefix>rc:e:<sha-256 of
 * its request key>` with its TTL, and one set per cache key (`<prefix>rc:t:<key>`) naming the
 * answers that carry it, kept at least as long as its longest answer (EXPIRE NX, then GT: Redis
 * 7). Redis errors count as misses and skipped stores; an invalidation that fails is thrown, so
 * the caller can log it. Redis's own maxmemory bounds its size.
 */
export class RedisResponseStore implements ResponseStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private entryKey(id: string): string {
    return `${this.prefix}rc:e:${id}`;
  }

  private tagKey(tag: string): string {
    return `${this.prefix}rc:t:${tag}`;
  }

  private static idOf(key: string): string {
    return createHash('sha256').update(key).digest('base64url');
  }

  async get(key: string): Promise<StoredResponse | null> {
    try {
      const text = await this.redis.get(this.entryKey(RedisResponseStore.idOf(key)));
      return text ? (JSON.parse(text) as StoredResponse) : null;
    } catch {
      return null;
    }
  }

  async set(
    key: string,
    response: StoredResponse,
    ttlMs: number,
    tags: readonly string[],
  ): Promise<void> {
    if (ttlMs <= 0) return;
    const id = RedisResponseStore.idOf(key);
    const seconds = Math.ceil(ttlMs / 1000);
    const multi = this.redis.multi().set(this.entryKey(id), JSON.stringify(response), 'PX', ttlMs);
    for (const tag of tags) {
      const tagKey = this.tagKey(tag);
      multi.sadd(tagKey, id).expire(tagKey, seconds, 'NX').expire(tagKey, seconds, 'GT');
    }
    try {
      await multi.exec();
    } catch {
      // Not stored: the next request is a miss.
    }
  }

  async invalidate(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    await this.redis.eval(
      invalidateScript,
      tags.length,
      ...tags.map(tag => this.tagKey(tag)),
      `${this.prefix}rc:e:`,
    );
  }
}
