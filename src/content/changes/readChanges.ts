import type { DataSource, EntityManager } from 'typeorm';
import type { ChangeEvent } from './changeEvent';
import { dialectOf, SqlParams } from '../../db/dialect';
import { writeTransaction } from '../../db/writeTransaction';

/** A stored event with what the `changes` query needs besides the payload. */
export interface StoredChange {
  event: ChangeEvent;
  subject: { type: 'Article' | 'Tag' | 'Author'; id: number };
  publicChange: boolean;
}

interface Row {
  id: unknown;
  subject_type: string;
  subject_id: unknown;
  public_change: unknown;
  payload_json: string;
}

/**
 * Reads committed outbox state only. On SQLite the gateway has one connection, and a statement
 * run on it while a write's transaction is open would see that write's rows before it commits
 * (or rolls back): so it runs in the write queue, between transactions. PostgreSQL reads on a
 * pooled connection of its own and sees committed rows only.
 */
function committed<T>(db: DataSource, read: (run: DataSource | EntityManager) => Promise<T>) {
  return dialectOf(db) === 'postgres' ? read(db) : writeTransaction(db, read);
}

/**
 * The stored changes after `afterId`, in commit order, at most `limit`; `publicOnly` leaves out
 * the changes of drafts nobody public saw (the `changes` query lists only the others).
 */
export function readStoredChangesAfter(
  db: DataSource,
  afterId: number,
  limit: number,
  options: { publicOnly?: boolean } = {},
): Promise<StoredChange[]> {
  const params = new SqlParams(dialectOf(db));
  const text = `SELECT id, subject_type, subject_id, public_change, payload_json FROM change_event
    WHERE id > ${params.add(afterId)}${options.publicOnly ? ' AND public_change = ' + params.add(true) : ''}
    ORDER BY id LIMIT ${params.add(limit)}`;
  return committed(db, async run => {
    const rows: Row[] = await run.query(text, params.values);
    return rows.map(row => ({
      event: { id: Number(row.id), ...(JSON.parse(row.payload_json) as Omit<ChangeEvent, 'id'>) },
      subject: {
        type: row.subject_type as StoredChange['subject']['type'],
        id: Number(row.subject_id),
      },
      publicChange: row.public_change === true || Number(row.public_change) === 1,
    }));
  });
}

/** The committed change events after `afterId`, in commit order (ids increase), at most `limit`. */
export async function readChangesAfter(
  db: DataSource,
  afterId: number,
  limit: number,
): Promise<ChangeEvent[]> {
  return (await readStoredChangesAfter(db, afterId, limit)).map(stored => stored.event);
}

/** Where the outbox stands (outboxPosition). */
export interface OutboxPosition {
  /** The newest committed event id; 0 where none. */
  latestId: number;
  /** The highest id pruned by retention: a reader behind it has missed events. */
  prunedThrough: number;
  /** Whether the events go back to an empty database (no content before the outbox existed). */
  fromStart: boolean;
}

/** Where the outbox stands now (committed state). */
export function outboxPosition(db: DataSource): Promise<OutboxPosition> {
  return committed(db, async run => {
    const rows: { latest: unknown; pruned: unknown; from_start: unknown }[] = await run.query(
      `SELECT (SELECT MAX(id) FROM change_event) AS latest, pruned_through AS pruned,
              history_from_start AS from_start
       FROM change_outbox`,
    );
    const pruned = Number(rows[0]?.pruned ?? 0);
    return {
      latestId: Math.max(Number(rows[0]?.latest ?? 0), pruned),
      prunedThrough: pruned,
      fromStart: rows[0]?.from_start === true || Number(rows[0]?.from_start) === 1,
    };
  });
}

/** How many public changes come after `afterId` (the `changes` connection's totalCount). */
export function countPublicChangesAfter(db: DataSource, afterId: number): Promise<number> {
  const params = new SqlParams(dialectOf(db));
  return committed(db, async run => {
    const rows: { n: unknown }[] = await run.query(
      `SELECT COUNT(*) AS n FROM change_event
       WHERE id > ${params.add(afterId)} AND public_change = ${params.add(true)}`,
      params.values,
    );
    return Number(rows[0]?.n ?? 0);
  });
}
