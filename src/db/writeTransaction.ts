import type { DataSource, EntityManager } from 'typeorm';

const queues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs fn in a transaction, one at a time per DataSource. TypeORM's SQLite driver has a single
 * connection: two transactions begun at once would interleave on it (the second BEGIN nested, one
 * COMMIT ending the other's work). Every writer in the process (view flusher, compaction, content
 * and view imports, demo seeding, api token create, revoke and last-used writes) goes through
 * here, so they queue instead. A statement run outside would also land inside whatever
 * transaction holds that one connection, and be rolled back with it. On PostgreSQL each
 * transaction has its own pooled connection anyway; the queue only orders the gateway's own writes.
 */
export function writeTransaction<T>(
  db: DataSource,
  fn: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const previous = queues.get(db) ?? Promise.resolve();
  const next = previous.then(() => db.transaction(fn));
  queues.set(
    db,
    next.catch(() => undefined),
  );
  return next;
}
