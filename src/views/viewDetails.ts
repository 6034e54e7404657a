import type { SiteCalendar } from './siteCalendar';
import { hourMs, startOfHour } from './timeBuckets';
import type { ViewSource } from './trafficSource';
import { otherKey } from './trafficSource';
import {
  addEngagementCounts,
  addSourceCounts,
  type EngagementCount,
  keysOfDay,
  type SourceCount,
} from './viewDetailRollups';
import type { Queryable } from './viewRollups';
import type { Dialect } from '../db/dialect';

/** The hosts and campaigns counted apart for one article on one day of the site. */
interface DayKeys {
  hosts: Set<string>;
  campaigns: Set<string>;
}

export interface DetailBatch {
  sources: SourceCount[];
  engagements: EngagementCount[];
}

/**
 * The buffers of what the flusher writes next to the view counts: views by source, host and
 * campaign, and engagement reports, per article and hour. Filled by recordView and
 * recordEngagement (no SQL), written by the flusher in its transaction. The bound on hosts and
 * campaigns per article and day of the site's zone (SOURCE_MAX_KEYS_PER_DAY, the days
 * compactDetails folds the hours into) is applied when writing: the keys an
 * article already has today are read once a day per article (one statement a flush for all the
 * articles new in it), so a restart keeps the bound.
 */
export class ViewDetails {
  private sources = new Map<string, SourceCount>();
  private engagements = new Map<number, EngagementCount>();
  private dayKeys = new Map<string, DayKeys>();
  private keysDay = -1;

  constructor(
    private readonly maxKeysPerDay: number,
    private readonly calendar: SiteCalendar,
  ) {}

  /** Whether anything waits to be written. */
  get pending(): boolean {
    return this.sources.size > 0 || this.engagements.size > 0;
  }

  /** One counted view and where it came from. */
  addView(articleId: number, at: number, unique: boolean, from: ViewSource): void {
    const hour = startOfHour(at);
    const key = sourceKey(articleId, hour, from);
    let entry = this.sources.get(key);
    if (!entry) {
      entry = { articleId, bucketStart: hour, ...from, views: 0, uniqueVisitors: 0 };
      this.sources.set(key, entry);
    }
    entry.views += 1;
    if (unique) entry.uniqueVisitors += 1;
  }

  /** One engagement report, in the hour of the view it reports on. */
  addEngagement(articleId: number, viewHour: number, seconds: number, read: boolean): void {
    const key = engagementKey(articleId, viewHour);
    let entry = this.engagements.get(key);
    if (!entry) {
      entry = { articleId, bucketStart: viewHour, reports: 0, reads: 0, engagedSeconds: 0 };
      this.engagements.set(key, entry);
    }
    entry.reports += 1;
    if (read) entry.reads += 1;
    entry.engagedSeconds += seconds;
  }

  /** Empties the buffers and returns what they held. */
  take(): DetailBatch {
    const batch = {
      sources: [...this.sources.values()],
      engagements: [...this.engagements.values()],
    };
    this.sources = new Map();
    this.engagements = new Map();
    return batch;
  }

  /** Puts a batch that could not be written back into the buffers (before the next flush). */
  restore(batch: DetailBatch): void {
    for (const row of batch.sources) {
      const key = sourceKey(row.articleId, row.bucketStart, row);
      const entry = this.sources.get(key);
      if (entry) {
        entry.views += row.views;
        entry.uniqueVisitors += row.uniqueVisitors;
      } else this.sources.set(key, row);
    }
    for (const row of batch.engagements) {
      const key = engagementKey(row.articleId, row.bucketStart);
      const entry = this.engagements.get(key);
      if (entry) {
        entry.reports += row.reports;
        entry.reads += row.reads;
        entry.engagedSeconds += row.engagedSeconds;
      } else this.engagements.set(key, row);
    }
  }

  /** Writes a batch: call inside the flusher's transaction. */
  async write(runner: Queryable, dialect: Dialect, batch: DetailBatch, now: number): Promise<void> {
    if (batch.sources.length > 0) {
      await addSourceCounts(
        runner,
        dialect,
        await this.bounded(runner, dialect, batch.sources, now),
      );
    }
    if (batch.engagements.length > 0) await addEngagementCounts(runner, dialect, batch.engagements);
  }

  /**
   * The rows with hosts and campaigns beyond the day's bound renamed to "(other)" and merged. Keys
   * are admitted in the order their rows come (an hour's first); a key once admitted stays so for
   * the day.
   */
  private async bounded(
    runner: Queryable,
    dialect: Dialect,
    rows: readonly SourceCount[],
    now: number,
  ): Promise<SourceCount[]> {
    const today = this.calendar.startOfDay(now);
    if (today !== this.keysDay) {
      this.dayKeys = new Map();
      this.keysDay = today;
    }
    const unknown = new Map<string, { articleId: number; day: { start: number; end: number } }>();
    for (const row of rows) {
      const day = this.calendar.dayOf(row.bucketStart);
      const key = `${row.articleId}:${day.start}`;
      if (!this.dayKeys.has(key)) unknown.set(key, { articleId: row.articleId, day: { ...day } });
    }
    const byDay = new Map<number, { day: { start: number; end: number }; articleIds: number[] }>();
    for (const { articleId, day } of unknown.values()) {
      const entry = byDay.get(day.start) ?? { day, articleIds: [] };
      entry.articleIds.push(articleId);
      byDay.set(day.start, entry);
    }
    // Kept only once every read has answered: a failed flush reads them again next time.
    const read = new Map<string, DayKeys>(
      [...unknown.keys()].map(key => [key, { hosts: new Set(), campaigns: new Set() }]),
    );
    for (const { day, articleIds } of byDay.values()) {
      for (const found of await keysOfDay(runner, dialect, articleIds, day)) {
        const keys = read.get(`${found.articleId}:${day.start}`) as DayKeys;
        if (found.host !== '') keys.hosts.add(found.host);
        if (found.campaign !== '') keys.campaigns.add(found.campaign);
      }
    }
    for (const [key, keys] of read) this.dayKeys.set(key, keys);
    const admit = (set: Set<string>, value: string) => {
      if (value === '' || value === otherKey || set.has(value)) return value;
      if (set.size >= this.maxKeysPerDay) return otherKey;
      set.add(value);
      return value;
    };
    const merged = new Map<string, SourceCount>();
    for (const row of rows) {
      const day = this.calendar.startOfDay(row.bucketStart);
      const keys = this.dayKeys.get(`${row.articleId}:${day}`) as DayKeys;
      const host = admit(keys.hosts, row.host);
      const campaign = admit(keys.campaigns, row.campaign);
      const key = sourceKey(row.articleId, row.bucketStart, { source: row.source, host, campaign });
      const entry = merged.get(key);
      if (entry) {
        entry.views += row.views;
        entry.uniqueVisitors += row.uniqueVisitors;
      } else merged.set(key, { ...row, host, campaign });
    }
    // Days before today are not kept: their keys are read again if a late row comes.
    for (const key of [...this.dayKeys.keys()]) {
      if (Number(key.slice(key.indexOf(':') + 1)) < today) this.dayKeys.delete(key);
    }
    return [...merged.values()];
  }
}

/** The buffer key of (article, hour, source, host, campaign). */
function sourceKey(
  articleId: number,
  hour: number,
  from: { source: string; host: string; campaign: string },
): string {
  return `${articleId}\u0000${hour}\u0000${from.source}\u0000${from.host}\u0000${from.campaign}`;
}

/** (article, hour) as one number, as the view buffer keys it (viewCounter.ts). */
function engagementKey(articleId: number, hour: number): number {
  return (hour / hourMs) * 0x1_0000_0000 + articleId;
}
