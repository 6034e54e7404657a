import type { DataSource, EntityManager } from 'typeorm';
import type { WebhookEndpoint } from './webhookEndpoints';
import { endpointWants } from './webhookEvents';
import { webhookPayload } from './webhookPayload';
import type { SendResult } from './webhookSender';
import { dialectOf, SqlParams } from '../../../db/dialect';
import { writeTransaction } from '../../../db/writeTransaction';
import type { ChangeEvent } from '../changeEvent';

/** Reads committed change events after an id, in commit order (the outbox's readChangesAfter). */
export type ReadChanges = (afterId: number, limit: number) => Promise<ChangeEvent[]>;

/** A delivery claimed for one attempt. */
export interface ClaimedDelivery {
  id: number;
  endpointId: number;
  eventId: number;
  body: string;
  /** Attempts made before this one. */
  attempts: number;
  createdAt: number;
}

/** Where a delivery stands after an attempt: delivered, due again at, or given up (failed). */
export type AttemptOutcome =
  | { status: 'delivered' }
  | { status: 'pending'; nextAttemptAt: number }
  | { status: 'failed' };

/** Raised inside a fan-out transaction that lost its compare-and-set: roll back, nothing done. */
class CursorMoved extends Error {}

/** The fan-out cursor: the last outbox id turned into deliveries. */
export async function readCursor(db: DataSource | EntityManager): Promise<number> {
  const rows: { last_event_id: unknown }[] = await db.query(
    "SELECT last_event_id FROM webhook_cursor WHERE name = 'outbox'",
  );
  return Number(rows[0]?.last_event_id ?? 0);
}

/**
 * Turns the outbox's next events (after the cursor, up to releasedUpTo: those the change feed
 * has handed on after the caches) into one pending delivery per interested endpoint, and moves
 * the cursor, in one transaction. The cursor moves by compare-and-set, so two replicas never
 * both fan out the same events (the loser's transaction rolls back; the unique (endpoint,
 * event) would keep a second delivery out anyway). An endpoint receives the events that
 * occurred from its creation on. Returns how many events were fanned out (0: nothing new).
 */
export async function fanOut(
  db: DataSource,
  readChanges: ReadChanges,
  releasedUpTo: number,
  endpoints: readonly WebhookEndpoint[],
  now: number,
  batch = 200,
): Promise<number> {
  const cursor = await readCursor(db);
  if (cursor >= releasedUpTo) return 0;
  const events = (await readChanges(cursor, batch)).filter(event => event.id <= releasedUpTo);
  if (events.length === 0) return 0;
  const last = events[events.length - 1].id;
  const rows: unknown[][] = [];
  for (const event of events) {
    const occurredAt = Date.parse(event.occurredAt);
    for (const endpoint of endpoints) {
      if (occurredAt < endpoint.createdAt || !endpointWants(endpoint.events, event.type)) continue;
      rows.push([endpoint.id, event.id, event.type, webhookPayload(event), now, now]);
    }
  }
  try {
    await writeTransaction(db, async manager => {
      const move = new SqlParams(dialectOf(db));
      const result = await manager.queryRunner!.query(
        `UPDATE webhook_cursor SET last_event_id = ${move.add(last)}
         WHERE name = 'outbox' AND last_event_id = ${move.add(cursor)}`,
        move.values,
        true,
      );
      if (result.affected !== 1) throw new CursorMoved();
      // 100 rows (600 parameters) a statement: far below either dialect's parameter limit.
      for (let start = 0; start < rows.length; start += 100) {
        const params = new SqlParams(dialectOf(db));
        const values = rows
          .slice(start, start + 100)
          .map(row => `(${row.map(value => params.add(value)).join(', ')}, 'pending', 0)`)
          .join(', ');
        await manager.query(
          `INSERT INTO webhook_delivery
             (endpoint_id, event_id, event_type, body, next_attempt_at, created_at, status, attempts)
           VALUES ${values}
           ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
          params.values,
        );
      }
    });
  } catch (error) {
    if (error instanceof CursorMoved) return 0;
    throw error;
  }
  return events.length;
}

/**
 * Claims due deliveries for one attempt each: at most room(endpointId) per endpoint (its free
 * concurrency) and limit in all, oldest due first. A claim moves next_attempt_at to now +
 * leaseMs (conditional on the value read, so two replicas never claim the same row): a process
 * that dies mid-send leaves the delivery due again when the lease ends, never lost. Deliveries
 * of endpoints not in usable (no secret this process can use) are left alone.
 */
export async function claimDue(
  db: DataSource,
  now: number,
  leaseMs: number,
  room: (endpointId: number) => number,
  limit: number,
): Promise<ClaimedDelivery[]> {
  const params = new SqlParams(dialectOf(db));
  const due: Record<string, unknown>[] = await db.query(
    `SELECT id, endpoint_id, event_id, body, attempts, next_attempt_at, created_at
     FROM webhook_delivery
     WHERE status = 'pending' AND next_attempt_at <= ${params.add(now)}
     ORDER BY next_attempt_at, id
     LIMIT ${params.add(limit * 4)}`,
    params.values,
  );
  const wanted: Record<string, unknown>[] = [];
  const taken = new Map<number, number>();
  for (const row of due) {
    const endpointId = Number(row.endpoint_id);
    const count = taken.get(endpointId) ?? 0;
    if (wanted.length >= limit || count >= room(endpointId)) continue;
    taken.set(endpointId, count + 1);
    wanted.push(row);
  }
  if (wanted.length === 0) return [];
  return writeTransaction(db, async manager => {
    const claimed: ClaimedDelivery[] = [];
    for (const row of wanted) {
      const claim = new SqlParams(dialectOf(db));
      const result = await manager.queryRunner!.query(
        `UPDATE webhook_delivery SET next_attempt_at = ${claim.add(now + leaseMs)}
         WHERE id = ${claim.add(Number(row.id))} AND status = 'pending'
           AND next_attempt_at = ${claim.add(Number(row.next_attempt_at))}`,
        claim.values,
        true,
      );
      if (result.affected !== 1) continue;
      claimed.push({
        id: Number(row.id),
        endpointId: Number(row.endpoint_id),
        eventId: Number(row.event_id),
        body: String(row.body),
        attempts: Number(row.attempts),
        createdAt: Number(row.created_at),
      });
    }
    return claimed;
  });
}

/** Logs one attempt and moves its delivery on (delivered, due again, or failed), at once. */
export async function recordAttempt(
  db: DataSource,
  delivery: ClaimedDelivery,
  result: SendResult,
  outcome: AttemptOutcome,
  attemptedAt: number,
): Promise<void> {
  const attempt = delivery.attempts + 1;
  const error = result.error === null ? null : result.error.slice(0, 500);
  await writeTransaction(db, async manager => {
    const log = new SqlParams(dialectOf(db));
    await manager.query(
      `INSERT INTO webhook_attempt
         (delivery_id, endpoint_id, event_id, attempt, attempted_at, status_code, duration_ms, error)
       VALUES (${log.add(delivery.id)}, ${log.add(delivery.endpointId)}, ${log.add(delivery.eventId)},
         ${log.add(attempt)}, ${log.add(attemptedAt)}, ${log.add(result.statusCode)},
         ${log.add(result.durationMs)}, ${log.add(error)})`,
      log.values,
    );
    const move = new SqlParams(dialectOf(db));
    const next = outcome.status === 'pending' ? outcome.nextAttemptAt : attemptedAt;
    const finished = outcome.status === 'pending' ? null : attemptedAt;
    await manager.query(
      `UPDATE webhook_delivery SET status = ${move.add(outcome.status)}, attempts = ${move.add(attempt)},
         next_attempt_at = ${move.add(next)}, finished_at = ${move.add(finished)},
         last_error = ${move.add(error)}
       WHERE id = ${move.add(delivery.id)}`,
      move.values,
    );
  });
}

/** The earliest time a pending delivery (a retry, or a lease) is due, or null where none is. */
export async function nextDueAt(db: DataSource): Promise<number | null> {
  const rows: { at: unknown }[] = await db.query(
    "SELECT MIN(next_attempt_at) AS at FROM webhook_delivery WHERE status = 'pending'",
  );
  return rows[0]?.at === null || rows[0]?.at === undefined ? null : Number(rows[0].at);
}

/** Deletes finished deliveries and attempts older than before (the log's retention). */
export async function pruneDeliveries(db: DataSource, before: number): Promise<void> {
  await writeTransaction(db, async manager => {
    const attempts = new SqlParams(dialectOf(db));
    await manager.query(
      `DELETE FROM webhook_attempt WHERE attempted_at < ${attempts.add(before)}`,
      attempts.values,
    );
    const deliveries = new SqlParams(dialectOf(db));
    await manager.query(
      `DELETE FROM webhook_delivery WHERE status <> 'pending' AND finished_at < ${deliveries.add(before)}`,
      deliveries.values,
    );
  });
}

/** One line of an endpoint's delivery log (npm run webhooks -- deliveries <id>). */
export interface DeliveryLogEntry {
  deliveryId: number;
  eventId: number;
  eventType: string;
  status: string;
  attempt: number | null;
  attemptedAt: number | null;
  statusCode: number | null;
  durationMs: number | null;
  error: string | null;
  nextAttemptAt: number;
}

/** An endpoint's latest deliveries with each attempt, newest first. */
export async function deliveryLog(
  db: DataSource,
  endpointId: number,
  limit = 50,
): Promise<DeliveryLogEntry[]> {
  const params = new SqlParams(dialectOf(db));
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT d.id AS delivery_id, d.event_id, d.event_type, d.status, d.next_attempt_at,
            a.attempt, a.attempted_at, a.status_code, a.duration_ms, a.error
     FROM webhook_delivery d LEFT JOIN webhook_attempt a ON a.delivery_id = d.id
     WHERE d.endpoint_id = ${params.add(endpointId)}
     ORDER BY d.event_id DESC, a.attempt DESC
     LIMIT ${params.add(limit)}`,
    params.values,
  );
  const numberOrNull = (value: unknown) => (value === null ? null : Number(value));
  return rows.map(row => ({
    deliveryId: Number(row.delivery_id),
    eventId: Number(row.event_id),
    eventType: String(row.event_type),
    status: String(row.status),
    attempt: numberOrNull(row.attempt),
    attemptedAt: numberOrNull(row.attempted_at),
    statusCode: numberOrNull(row.status_code),
    durationMs: numberOrNull(row.duration_ms),
    error: row.error === null ? null : String(row.error),
    nextAttemptAt: Number(row.next_attempt_at),
  }));
}
