import type { DataSource } from 'typeorm';
import { dialectOf, SqlParams } from '../../db/dialect';
import { writeTransaction } from '../../db/writeTransaction';

/**
 * Deletes the events that occurred before `cutoff` (CHANGE_RETENTION_DAYS), through the newest
 * such id, and remembers that id as pruned. Returns how many were deleted.
 */
export function pruneChanges(db: DataSource, cutoff: Date): Promise<number> {
  return writeTransaction(db, async manager => {
    const find = new SqlParams(dialectOf(db));
    const rows: { id: unknown }[] = await manager.query(
      `SELECT MAX(id) AS id FROM change_event WHERE occurred_at < ${find.add(cutoff.getTime())}`,
      find.values,
    );
    if (rows[0]?.id == null) return 0;
    const through = Number(rows[0].id);
    const remove = new SqlParams(dialectOf(db));
    const result = await manager.queryRunner!.query(
      `DELETE FROM change_event WHERE id <= ${remove.add(through)}`,
      remove.values,
      true,
    );
    const mark = new SqlParams(dialectOf(db));
    await manager.query(
      `UPDATE change_outbox SET pruned_through = ${mark.add(through)}
       WHERE pruned_through < ${mark.add(through)}`,
      mark.values,
    );
    return Number(result.affected ?? 0);
  });
}
