import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { ViewSettings } from '../config';
import { EngagementLedger, type EngagementViews } from './engagementLedger';
import { LiveReaderCounts, type LiveReaders, MemoryLiveReaders } from './liveReaders';
import { PublishedArticleCache } from './publishedArticleCache';
import { calendarOf } from './siteCalendar';
import { hourMs, startOfHour } from './timeBuckets';
import { compactDetails } from './viewDetailRollups';
import { ViewDetails } from './viewDetails';
import { ViewGuard } from './viewGuard';
import type { ViewMemory } from './viewMemory';
import { addViewCounts, type BucketCount, compactHours, foldRecentHours } from './viewRollups';
import { dialectOf } from '../db/dialect';
import { writeTransaction } from '../db/writeTransaction';
import type { Clock } from '../ops/clock';
import type { Metrics } from '../ops/metrics';

/**
 * The view pipeline after the guard: an in-memory buffer of counts per (article, hour) and the one
 * flusher that writes them, at most every flush interval, in one transaction of multi-row upserts
 * into article_view_recent (and the running totals); finished hours move to article_view_hour.
 * Requests never write counts themselves, so SQLite's single connection never sees competing
 * transactions. The same flusher compacts hours older than the hourly retention into days.
 */
export class ViewCounter {
  readonly guard: ViewGuard;
  /** Published articles recordView has looked up lately (it runs no SQL for them). */
  readonly publishedArticles = new PublishedArticleCache();
  /** Sources and engagement reports, buffered beside the counts and written in the same flush. */
  readonly details: ViewDetails;
  /** The view ids of counted views that may still report their engagement. */
  readonly engagement: EngagementViews;
  /** Readers now (in memory; `live` accepts another LiveReaders, e.g. a shared one). */
  readonly live: LiveReaderCounts;
  private buffer = new Map<number, BucketCount>();
  private bufferedViews = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private compactedBefore = -Infinity;
  private foldedBefore = -Infinity;
  private stopped = false;
  private generationValue = 0;

  constructor(
    private readonly db: DataSource,
    private readonly settings: ViewSettings,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly metrics?: Metrics,
    /** The guard's memory: this process's unless given (RedisViewMemory with REDIS_URL). */
    memory?: ViewMemory,
    /** Readers now: this process's unless given (a store the replicas share). */
    liveReaders?: LiveReaders,
    /** The view ids awaiting reports: this process's unless given (shared with REDIS_URL). */
    engagement?: EngagementViews,
  ) {
    this.guard = new ViewGuard(settings, memory);
    this.details = new ViewDetails(settings.sourceMaxKeysPerDay, calendarOf(settings.timeZone));
    this.engagement = engagement ?? new EngagementLedger(settings.memoryMaxEntries);
    this.live = new LiveReaderCounts(
      liveReaders ?? new MemoryLiveReaders(settings.memoryMaxEntries),
    );
  }

  /** Hosts whose referrers are INTERNAL (SITE_HOSTS and the configured URLs' hosts). */
  get siteHosts(): readonly string[] {
    return this.settings.siteHosts;
  }

  /** Changes whenever counts were written: ranking snapshots older than it may be stale. */
  get generation(): number {
    return this.generationValue;
  }

  /** Views accepted and not yet written. */
  get pending(): number {
    return this.bufferedViews;
  }

  /** Counts a recordView outcome for the metrics: "counted" or the reason it was not. */
  recorded(result: string): void {
    this.metrics?.viewsRecorded.inc({ result });
  }

  /** Counts an engagement report's outcome for the metrics: "counted", "unknown" or "repeat". */
  engagementRecorded(result: string): void {
    this.metrics?.engagementReports.inc({ result });
  }

  /** Adds one counted view to the buffer (the guard has admitted it). */
  add(articleId: number, at: number, unique: boolean): void {
    const hour = startOfHour(at);
    const key = bufferKey(articleId, hour);
    let entry = this.buffer.get(key);
    if (!entry) {
      entry = { articleId, bucketStart: hour, views: 0, uniqueVisitors: 0 };
      this.buffer.set(key, entry);
    }
    entry.views += 1;
    if (unique) entry.uniqueVisitors += 1;
    this.bufferedViews += 1;
    this.metrics?.viewsBuffered.set(this.bufferedViews);
  }

  /** Starts the flush timer. */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => {
      void this.flush().catch(() => undefined);
    }, this.settings.flushIntervalMs);
    // The timer alone never keeps the process alive; stop() does the last flush.
    this.timer.unref();
  }

  /**
   * Writes the buffer (one transaction) and compacts due hours; resolves when done. Flushes never
   * overlap: a call during a flush runs after it. On failure the counts go back into the buffer.
   */
  flush(): Promise<void> {
    const next = this.running.then(() => this.flushOnce());
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Stops the timer and writes what is buffered; call before the database closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async flushOnce(): Promise<void> {
    const now = this.clock().getTime();
    this.guard.prune(now);
    this.engagement.sweep(now);
    const batch = [...this.buffer.values()];
    const views = this.bufferedViews;
    if (batch.length > 0 || this.details.pending) {
      this.buffer = new Map<number, BucketCount>();
      this.bufferedViews = 0;
      const details = this.details.take();
      const started = process.hrtime.bigint();
      try {
        await writeTransaction(this.db, async manager => {
          const dialect = dialectOf(this.db);
          await addViewCounts(manager, dialect, batch, 'article_view_recent');
          await this.details.write(manager, dialect, details, now);
        });
        this.generationValue += 1;
        this.metrics?.viewFlushDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
      } catch (error) {
        this.details.restore(details);
        for (const row of batch) {
          const key = bufferKey(row.articleId, row.bucketStart);
          const entry = this.buffer.get(key);
          if (entry) {
            entry.views += row.views;
            entry.uniqueVisitors += row.uniqueVisitors;
          } else this.buffer.set(key, row);
        }
        this.bufferedViews += views;
        this.log.error({ err: error, views }, 'view flush failed; counts kept for the next flush');
        throw error;
      } finally {
        this.metrics?.viewsBuffered.set(this.bufferedViews);
      }
    }
    await this.foldIfDue(now);
    await this.compactIfDue(now);
  }

  /**
   * Once an hour (and at the first flush of a process), moves finished hours from
   * article_view_recent into article_view_hour. Reads sum both, so the move changes no answer.
   */
  private async foldIfDue(now: number): Promise<void> {
    const hour = startOfHour(now);
    if (hour <= this.foldedBefore) return;
    await writeTransaction(this.db, manager => foldRecentHours(manager, dialectOf(this.db), hour));
    this.foldedBefore = hour;
  }

  private async compactIfDue(now: number): Promise<void> {
    const calendar = calendarOf(this.settings.timeZone);
    const cutoff = calendar.hourlyCutoff(now, this.settings.hourlyRetentionDays);
    if (cutoff <= this.compactedBefore) return;
    await writeTransaction(this.db, async manager => {
      await compactHours(manager, dialectOf(this.db), cutoff, calendar);
      await compactDetails(manager, dialectOf(this.db), cutoff, calendar);
    });
    this.compactedBefore = cutoff;
    this.generationValue += 1;
  }
}

/**
 * The buffer's key of (article, hour) as one number: the hour's index above 32 bits, the article
 * id below (exact up to 2^53: hours until the year 4050). A string key cost a concatenation and a
 * string hash on every counted view.
 */
function bufferKey(articleId: number, hourStart: number): number {
  return (hourStart / hourMs) * 0x1_0000_0000 + articleId;
}
