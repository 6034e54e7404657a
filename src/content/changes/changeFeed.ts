import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { ChangeListener } from './changeEvent';
import { pruneChanges } from './pruneChanges';
import { outboxPosition, readChangesAfter } from './readChanges';
import type { Clock } from '../../ops/clock';

export interface ChangeFeedOptions {
  /** How often the outbox is read (CHANGE_POLL_MS): changes by other processes arrive within it. */
  pollMs: number;
  /** Events older than this are pruned (CHANGE_RETENTION_DAYS). */
  retentionDays: number;
  /** How often pruning runs; hourly by default. */
  pruneEveryMs?: number;
  /** Events handed to listeners at once, at most. */
  batchSize?: number;
}

const dayMs = 86_400_000;

/**
 * Tells this process's listeners of every committed change, in commit order: it reads the outbox
 * after the last id it delivered, every pollMs (so changes made by the import command or another
 * replica are seen) and at once when nudged after a local commit. Listeners run one after the
 * other in registration order (the gateway registers its caches first and webhooks last), each
 * awaited, with the same batch; a listener's error is logged and does not stop the others or the
 * feed. Editorial writes wait for the listeners before they answer: a listener with slow work
 * (a webhook delivery) queues it and returns. It starts at the newest event: what came before it started is not replayed (in-memory
 * caches start empty; a consumer that must see everything keeps its own cursor on the outbox).
 * It also prunes events past the retention.
 */
export class ChangeFeed {
  private readonly listeners: ChangeListener[] = [];
  private lastId = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;
  private stopped = false;
  private lastPrune = 0;
  private readonly pruneEveryMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: ChangeFeedOptions,
  ) {
    this.pruneEveryMs = options.pruneEveryMs ?? 3_600_000;
    this.batchSize = options.batchSize ?? 100;
  }

  /** The id of the last event handed to the listeners. */
  get position(): number {
    return this.lastId;
  }

  /** Calls `listener` with every batch of committed changes from now on; returns its removal. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /** Starts after the newest committed event and polls every pollMs. */
  async start(): Promise<void> {
    this.lastId = (await outboxPosition(this.db)).latestId;
    this.started = true;
    this.timer = setInterval(() => void this.poll(), this.options.pollMs);
    this.timer.unref();
  }

  /** Reads the outbox now (after a local commit): resolves once what it found was delivered. */
  nudge(): Promise<void> {
    return this.poll();
  }

  /** Stops polling; a delivery in progress finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private poll(): Promise<void> {
    if (!this.started || this.stopped) return Promise.resolve();
    if (this.running) {
      // A commit during a read: one more read after it, so the commit is never left waiting.
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.deliver().catch((error: unknown) =>
          // An outage: the next poll reads again from the same id, so nothing is skipped.
          this.log.warn({ err: error }, 'change feed: reading the outbox failed'),
        );
      } while (this.again && !this.stopped);
      await this.prune();
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async deliver(): Promise<void> {
    for (;;) {
      const events = await readChangesAfter(this.db, this.lastId, this.batchSize);
      if (!events.length) return;
      this.lastId = events[events.length - 1].id;
      for (const listener of [...this.listeners]) {
        try {
          await listener(events);
        } catch (error) {
          this.log.error({ err: error }, 'change feed: a listener failed');
        }
      }
      if (events.length < this.batchSize || this.stopped) return;
    }
  }

  private async prune(): Promise<void> {
    const now = this.clock().getTime();
    if (this.stopped || now - this.lastPrune < this.pruneEveryMs) return;
    this.lastPrune = now;
    try {
      const cutoff = new Date(now - this.options.retentionDays * dayMs);
      const pruned = await pruneChanges(this.db, cutoff);
      if (pruned) this.log.info({ pruned }, 'change feed: pruned events past the retention');
    } catch (error) {
      this.log.warn({ err: error }, 'change feed: pruning failed');
    }
  }
}
