import type { DataSource, EntityManager } from 'typeorm';
import { lockOutbox } from './recordChange';
import { writeTransaction } from '../../db/writeTransaction';

/**
 * A content write's transaction: writeTransaction (one at a time per process), with the
 * outbox's lock taken first on PostgreSQL (see lockOutbox), so the change events the write
 * records are numbered in commit order and writers never deadlock over it.
 */
export function contentTransaction<T>(
  db: DataSource,
  fn: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return writeTransaction(db, async manager => {
    await lockOutbox(manager);
    return fn(manager);
  });
}
