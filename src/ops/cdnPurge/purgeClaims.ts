import type Redis from 'ioredis';

/**
 * Which of a batch of change events this replica purges at the CDN: every replica's change feed
 * sees every event, and one purge call per event is enough (Cloudflare counts purge calls). With
 * Redis, the replica that sets `<prefix>purge:<event id>` first (SET NX, kept a day) purges it;
 * without Redis (one process), or when Redis fails, every event is purged here: at least once.
 */
export async function claimPurges<E extends { id: number }>(
  redis: Redis | null,
  prefix: string,
  events: readonly E[],
): Promise<E[]> {
  if (!redis || events.length === 0) return [...events];
  try {
    const pipeline = redis.pipeline();
    for (const event of events) pipeline.set(`${prefix}purge:${event.id}`, '1', 'EX', 86_400, 'NX');
    const results = (await pipeline.exec()) ?? [];
    return events.filter((_, index) => {
      const [error, reply] = results[index] ?? [null, null];
      return error !== null || reply === 'OK';
    });
  } catch {
    return [...events];
  }
}
