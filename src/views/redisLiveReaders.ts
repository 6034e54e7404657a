import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { type LiveReaders, liveWindowMs, MemoryLiveReaders } from './liveReaders';
import { RedisOutage } from './redisOutage';
import type { VisitorKey } from './viewMemory';

// As the view memory: a batch not answered within this falls back, and after a failure Redis is
// asked again after the pause, not at every view of an outage.
const answerTimeoutMs = 1000;

interface Sighting {
  articleId: number;
  visitor: VisitorKey;
  at: number;
}

/**
 * Readers now shared by the replicas (REDIS_URL), under REDIS_KEY_PREFIX: `l:` + the article id,
 * a sorted set of the visitors' 8-byte keys (the view guard's hashes, never an id, IP address or
 * user agent) scored by the time last seen (ms), trimmed to the window and expiring five minutes
 * after its last view; and `live`, the sorted set of article ids scored by their last view, so a
 * count asks only the articles read in the window. Both hold only the last five minutes: memory
 * follows the readers of those minutes (measured with MEMORY USAGE on Redis 7: 21 bytes a reader
 * at 100 readers of an article, 102 at 1,000, 113 at 10,000; README "Readers now").
 *
 * The sightings of one event-loop turn go in one pipeline. While Redis does not answer, they and
 * the counts go to this process's MemoryLiveReaders (what it saw during the outage only).
 */
export class RedisLiveReaders implements LiveReaders {
  private readonly local: MemoryLiveReaders;
  private readonly liveKey: string;
  private waiting: Sighting[] = [];
  private scheduled = false;
  private readonly outage: RedisOutage;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    maxLocalEntries: number,
    log: Logger,
  ) {
    this.local = new MemoryLiveReaders(maxLocalEntries);
    this.outage = new RedisOutage(redis, log, {
      lost: 'readers now: Redis unreachable, counting the readers this process sees until it answers',
      back: 'readers now: Redis answers again, readers are counted across replicas',
    });
    this.liveKey = `${prefix}live`;
  }

  seen(articleId: number, visitor: VisitorKey, at: number): void {
    if (!this.outage.reachable()) {
      this.local.seen(articleId, visitor, at);
      return;
    }
    this.waiting.push({ articleId, visitor, at });
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.send());
  }

  async counts(now: number): Promise<ReadonlyMap<number, number>> {
    if (!this.outage.reachable()) return this.local.counts(now);
    const from = `(${now - liveWindowMs}`;
    try {
      const ids = (await withTimeout(
        this.redis.zrangebyscore(this.liveKey, from, now),
      )) as string[];
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.zcount(this.articleKey(Number(id)), from, now);
      const results = ids.length ? ((await withTimeout(pipeline.exec())) ?? []) : [];
      const counts = new Map<number, number>();
      ids.forEach((id, index) => {
        const [error, count] = results[index] ?? [new Error('no answer'), 0];
        if (error) throw error;
        if (Number(count) > 0) counts.set(Number(id), Number(count));
      });
      this.outage.answered();
      return counts;
    } catch (error) {
      this.outage.failed(error);
      return this.local.counts(now);
    }
  }

  /** Sends the sightings waiting since the last turn in one pipeline. */
  private async send(): Promise<void> {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = [];
    const pipeline = this.redis.pipeline();
    // One ZADD a sighting; the trim, expiry and live ranking once per article of the batch.
    const latestOf = new Map<number, number>();
    for (const { articleId, visitor, at } of batch) {
      pipeline.zadd(this.articleKey(articleId), at, memberOf(visitor));
      latestOf.set(articleId, Math.max(latestOf.get(articleId) ?? 0, at));
    }
    let latest = 0;
    for (const [articleId, at] of latestOf) {
      const key = this.articleKey(articleId);
      pipeline.zremrangebyscore(key, '-inf', at - liveWindowMs);
      pipeline.pexpire(key, liveWindowMs);
      pipeline.zadd(this.liveKey, 'GT', at, articleId);
      latest = Math.max(latest, at);
    }
    pipeline.zremrangebyscore(this.liveKey, '-inf', latest - liveWindowMs);
    pipeline.pexpire(this.liveKey, liveWindowMs);
    try {
      const results = (await withTimeout(pipeline.exec())) ?? [];
      const error = results.find(([failure]) => failure)?.[0];
      if (error) throw error;
      this.outage.answered();
    } catch (error) {
      this.outage.failed(error);
      for (const { articleId, visitor, at } of batch) this.local.seen(articleId, visitor, at);
    }
  }

  private articleKey(articleId: number): string {
    return `${this.prefix}l:${articleId}`;
  }
}

/** The visitor's 8-byte key, as the set's member. */
function memberOf(visitor: VisitorKey): Buffer {
  const member = Buffer.allocUnsafe(8);
  member.writeUInt32BE(visitor.hi >>> 0, 0);
  member.writeUInt32BE(visitor.lo >>> 0, 4);
  return member;
}

/** The promise, or a rejection after answerTimeoutMs (Redis may hang without closing). */
export function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis did not answer within ${answerTimeoutMs} ms`)),
      answerTimeoutMs,
    );
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
