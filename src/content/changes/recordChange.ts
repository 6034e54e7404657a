import type { EntityManager } from 'typeorm';
import type { ChangeEvent } from './changeEvent';
import { dialectOf, SqlParams } from '../../db/dialect';

/** An event before it is numbered: what recordChange writes. */
export type ChangeDraft = Omit<ChangeEvent, 'id' | 'version'> & {
  /** The article, tag or author it is about (internal id), for the `changes` query. */
  subject: { type: 'Article' | 'Tag' | 'Author'; id: number };
  /** Whether it changes what the public sees (listed by the `changes` query). */
  publicChange: boolean;
};

// One advisory lock key for every writer of change events (pg_advisory_xact_lock takes a bigint):
// the bytes of "change_e" as ASCII (0x6368616e67655f65), away from small numbers others use.
const outboxLockKey = '7163082334141767525';

/**
 * Makes event ids follow commit order on PostgreSQL: a sequence hands out ids in insert order,
 * and two transactions can commit the other way round, so a reader that has seen id N could miss
 * a lower id committed later. Every transaction that records events takes this one transaction
 * lock first; it is held until commit (PostgreSQL releases it after the commit is visible), so
 * the next writer's ids are higher and become visible later. Taking it again in the same
 * transaction is free. SQLite has one writer at a time already. Content writes take it first
 * of all (contentTransaction), so two writers never wait for each other's row locks in a cycle.
 */
export async function lockOutbox(manager: EntityManager): Promise<void> {
  if (dialectOf(manager.connection) !== 'postgres') return;
  await manager.query(`SELECT pg_advisory_xact_lock(${outboxLockKey})`);
}

/** Writes one change event in the caller's transaction (the outbox). */
export async function recordChange(manager: EntityManager, draft: ChangeDraft): Promise<void> {
  await lockOutbox(manager);
  const { subject, publicChange, ...event } = draft;
  const payload: Omit<ChangeEvent, 'id'> = { version: 1, ...event };
  const params = new SqlParams(dialectOf(manager.connection));
  await manager.query(
    `INSERT INTO change_event (type, occurred_at, subject_type, subject_id, public_change, payload_json)
     VALUES (${params.add(event.type)}, ${params.add(new Date(event.occurredAt).getTime())},
       ${params.add(subject.type)}, ${params.add(subject.id)}, ${params.add(publicChange)},
       ${params.add(JSON.stringify(payload))})`,
    params.values,
  );
}
