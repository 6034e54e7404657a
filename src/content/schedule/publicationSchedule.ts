import type { Logger } from 'pino';
import { SqlParams } from '../../db/dialect';
import type { Sql } from '../../db/SqlReader';
import { ArticleStatus } from '../../entities/enums';
import type { Clock } from '../../ops/clock';

/** Articles that became public: published with a date that has now come. */
export interface PublicationEvent {
  /** Internal ids, in publication order. */
  articleIds: number[];
  /** The instant the schedule handled them (at most a second after their publishedAt). */
  at: Date;
}

export type PublicationListener = (event: PublicationEvent) => void;

export interface PublicationScheduleOptions {
  /**
   * How often the next time is read again even without a write here: imports run in their own
   * process, and other replicas write to the same database. 30 s by default.
   */
  refreshIntervalMs?: number;
  /**
   * The longest the timer sleeps before it reads the clock again. setTimeout counts monotonic
   * time while publishedAt is wall-clock time: a clock step (NTP, a resumed VM) or a moved test
   * clock is noticed within this. 1 s by default: one timer callback a second, no SQL.
   */
  recheckMs?: number;
}

const published = `'${ArticleStatus.PUBLISHED}'`;

/**
 * Makes scheduled articles (PUBLISHED with a future publishedAt) public at their time with no
 * request or restart: it knows the next scheduled time (one query, read again after writes and
 * every refreshIntervalMs), sleeps on a timer until the injected clock reaches it, and then tells
 * its listeners which articles became public, so that what holds public content in memory (the
 * ranking snapshots) turns over. Public reads need no event: their SQL compares publishedAt with
 * the request's own "now". Issue 15 (events and webhooks) listens here too.
 */
export class PublicationSchedule {
  private next: number | null = null;
  // Publications up to this instant have been announced; the next query looks after it.
  private handledUntil: number;
  private timer: NodeJS.Timeout | null = null;
  private interval: NodeJS.Timeout | null = null;
  private readonly listeners: PublicationListener[] = [];
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly refreshIntervalMs: number;
  private readonly recheckMs: number;

  constructor(
    private readonly sql: Sql,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: PublicationScheduleOptions = {},
  ) {
    this.handledUntil = clock().getTime();
    this.refreshIntervalMs = options.refreshIntervalMs ?? 30_000;
    this.recheckMs = options.recheckMs ?? 1000;
  }

  /** When the next scheduled article becomes public (epoch ms); null where none is scheduled. */
  get nextAt(): number | null {
    return this.next;
  }

  /** Calls `listener` for every publication from now on; returns a function that removes it. */
  onPublished(listener: PublicationListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /** Reads the next time and arms the timer; every refreshIntervalMs after that. */
  async start(): Promise<void> {
    await this.changed();
    this.interval = setInterval(() => void this.changed(), this.refreshIntervalMs);
    this.interval.unref();
  }

  /**
   * Reads the next scheduled time again, announcing what has come due: call it after a write
   * or an import that may have scheduled, rescheduled or unpublished an article. Concurrent calls
   * share one run (and one more after it, so a write during a run is seen).
   */
  changed(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.run().catch((error: unknown) =>
          // An outage: the next refresh (or write) tries again; nothing is lost, since the query
          // looks for everything after handledUntil.
          this.log.warn({ err: error }, 'publication schedule: reading the next time failed'),
        );
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stops the timers; a run in progress finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.interval) clearInterval(this.interval);
    this.timer = null;
    this.interval = null;
    await this.running;
  }

  /** Announces what has come due, then reads the next time and arms the timer. */
  private async run(): Promise<void> {
    if (this.stopped) return;
    const now = this.clock().getTime();
    if (this.next !== null && this.next <= now) await this.announce(now);
    const params = new SqlParams(this.sql.dialect);
    const rows: { next: unknown }[] = await this.sql.query(
      `SELECT MIN(published_at) AS next FROM article
       WHERE status = ${published} AND published_at > ${params.add(this.handledUntil)}`,
      params.values,
    );
    const next = rows[0]?.next == null ? null : Number(rows[0].next);
    // Found due already (imported by another process since the last look): announce it now.
    if (next !== null && next <= this.clock().getTime()) {
      this.next = next;
      this.again = true;
      return;
    }
    this.next = next;
    this.arm();
  }

  /** Tells the listeners which articles became public after handledUntil and by `now`. */
  private async announce(now: number): Promise<void> {
    const params = new SqlParams(this.sql.dialect);
    const rows: { internal_id: unknown }[] = await this.sql.query(
      `SELECT internal_id FROM article
       WHERE status = ${published} AND published_at > ${params.add(this.handledUntil)}
         AND published_at <= ${params.add(now)}
       ORDER BY published_at, internal_id`,
      params.values,
    );
    this.handledUntil = now;
    this.next = null;
    const event: PublicationEvent = {
      articleIds: rows.map(row => Number(row.internal_id)),
      at: new Date(now),
    };
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.log.error({ err: error }, 'publication schedule: a listener failed');
      }
    }
    this.log.info({ articleIds: event.articleIds }, 'scheduled articles are public');
  }

  /** Sleeps until the next time (at most recheckMs at once, then looks at the clock again). */
  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.next === null || this.stopped) return;
    const delay = Math.min(Math.max(0, this.next - this.clock().getTime()), this.recheckMs);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.next !== null && this.next <= this.clock().getTime()) void this.changed();
      else this.arm();
    }, delay);
    this.timer.unref();
  }
}
