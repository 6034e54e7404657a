import { createHash, randomInt } from 'node:crypto';
import { type Period, periodOf, previousPeriodOf } from './rankingPeriods';
import { rankingCounts, trendingRows } from './rankingSources';
import { calendarOf } from './siteCalendar';
import { hourMs, startOfHour } from './timeBuckets';
import type { TrafficSource } from './trafficSource';
import { filterConditions } from '../content/articleListing';
import { SqlParams } from '../db/dialect';
import { publicArticleCondition } from '../db/reads/articleRows';
import type { Sql } from '../db/SqlReader';
import { RankingMetric, ViewWindow } from '../entities/enums';

export interface MostReadFilterInput {
  tagSlugs?: string[] | null;
  authorSlug?: string | null;
  locale?: string | null;
  excludeSlugs?: string[] | null;
  publishedAfter?: Date | null;
  /** Only views from this source (not with READS). */
  source?: TrafficSource | null;
}

export interface RankedEntry {
  articleId: number;
  views: number;
  uniqueVisitors: number;
  score: number;
  /** Rank by the metric in the previous period (null: no views then, or no previous period). */
  previousRank: number | null;
  /** Views in the previous period; null where there is none (ALL_TIME). */
  previousViews: number | null;
}

/** One ranking as read from the rollups at one instant; never changed once built. */
export interface RankingSnapshot {
  id: number;
  /** Window, metric and filter: snapshots of the same key are versions of the same ranking. */
  key: string;
  /** A short, stable digest of the key for cursors. */
  keyDigest: string;
  computedAt: Date;
  /** The buckets summed (null: ALL_TIME's totals) and those of the period before. */
  period: Period | null;
  previousPeriod: Period | null;
  isFallback: boolean;
  /** Best first: score descending, then article id ascending. */
  entries: RankedEntry[];
  positionOf: Map<number, number>;
  generation: number;
  hour: number;
}

export interface RankingSettings {
  snapshotTtlSeconds: number;
  trendingHalfLifeHours: number;
  /** SITE_TIME_ZONE: the calendar of TODAY, THIS_WEEK, ... */
  timeZone: string;
}

// Snapshots kept for paging after a newer one replaced them; each holds at most one entry per
// article with views (20,000 articles: about 2 MB), so 16 bound the memory at a few tens of MB.
const retainedSnapshots = 16;
// Rankings kept current at most (each filter and custom range is one): the oldest read goes.
const maxCurrentSnapshots = 256;
// Without new counts a snapshot stays valid past its TTL, but never across an hour or a minute.
const maxUnchangedAgeMs = 60_000;
// A fallback ranking lists at most this many of the newest articles.
const fallbackSize = 100;
// TRENDING ignores buckets older than 64 half-lives: their weight is below 2^-64.
const trendingHorizonHalfLives = 64;

function normalizedFilter(filter: MostReadFilterInput | null | undefined) {
  const sorted = (values: string[] | null | undefined) =>
    values == null ? null : [...new Set(values)].sort();
  return {
    tagSlugs: sorted(filter?.tagSlugs),
    authorSlug: filter?.authorSlug ?? null,
    locale: filter?.locale ?? null,
    excludeSlugs: sorted(filter?.excludeSlugs),
    publishedAfter: filter?.publishedAfter ? filter.publishedAfter.getTime() : null,
    source: filter?.source ?? null,
  };
}

type NormalizedFilter = ReturnType<typeof normalizedFilter>;

/** The SQL condition on `article a` of a ranking: public at `now`, and the filter's own. */
function rankingConditions(params: SqlParams, filter: NormalizedFilter, now: Date): string {
  const conditions = [
    publicArticleCondition(params, now),
    ...filterConditions(params, {
      tagSlugs: filter.tagSlugs,
      authorSlug: filter.authorSlug,
      locale: filter.locale,
      publishedAfter: filter.publishedAfter == null ? null : new Date(filter.publishedAfter),
    }),
  ];
  if (filter.excludeSlugs && filter.excludeSlugs.length > 0) {
    conditions.push(`a.slug NOT IN ${params.list(filter.excludeSlugs.slice(0, 100))}`);
  }
  return conditions.join(' AND ');
}

/** Which ranking a request asks for: its key, the key's digest (as cursors carry it), its filter. */
export interface RankingKey {
  key: string;
  keyDigest: string;
  filter: NormalizedFilter;
}

/**
 * The key of a ranking: window (with a custom range, its hours), metric and filter, normalized so
 * that the same ranking asked for in another spelling has the same key. Computed without SQL, so
 * that a cursor of another ranking is refused before this one is read.
 */
export function rankingKey(
  window: ViewWindow,
  metric: RankingMetric,
  filter: MostReadFilterInput | null | undefined,
  custom: Period | null = null,
): RankingKey {
  const normalized = normalizedFilter(filter);
  const range = window === ViewWindow.CUSTOM && custom ? [custom.start, custom.end] : [];
  const key = JSON.stringify([window, ...range, metric, normalized]);
  return {
    key,
    keyDigest: createHash('sha256').update(key).digest('base64url').slice(0, 12),
    filter: normalized,
  };
}

/**
 * Most-read rankings from the rollups through short-lived snapshots, one per (window or range,
 * metric, filter). A snapshot is read by one statement (two for TRENDING) and reused until it is
 * older than the TTL and counts have been written since, or the hour has turned, or a minute has
 * passed; the ranking of the period before, for the movement, is read as often once an hour.
 * Concurrent requests for an expired snapshot share one refresh. Recent snapshots are kept so
 * that a client paging with a cursor keeps reading the ranking its first page came from.
 */
export class RankingSnapshots {
  private readonly current = new Map<string, RankingSnapshot>();
  private readonly refreshing = new Map<string, Promise<RankingSnapshot>>();
  private readonly retained = new Map<number, RankingSnapshot>();
  /** The ranking of the period before, per key (previousRanks). */
  private readonly previous = new Map<
    string,
    { period: Period; hour: number; computedAt: number; ranks: ReadonlyMap<number, PreviousRank> }
  >();
  // Random start: a cursor from before a restart does not name a snapshot of this process.
  private nextId = randomInt(1, 2 ** 31);
  // Snapshots computed before this instant are stale whatever their age (invalidate).
  private staleBefore = -Infinity;

  constructor(
    private readonly db: Sql,
    private readonly settings: RankingSettings,
    private readonly generation: () => number,
  ) {}

  /** The current snapshot of a ranking, refreshed first if it has expired. */
  async snapshot(
    window: ViewWindow,
    metric: RankingMetric,
    filter: MostReadFilterInput | null | undefined,
    now: Date,
    custom: Period | null = null,
  ): Promise<RankingSnapshot> {
    const ranking = rankingKey(window, metric, filter, custom);
    const { key } = ranking;
    const existing = this.current.get(key);
    if (existing && this.isFresh(existing, now.getTime())) return existing;
    let pending = this.refreshing.get(key);
    if (!pending) {
      pending = this.compute(ranking, window, metric, now, custom).finally(() =>
        this.refreshing.delete(key),
      );
      this.refreshing.set(key, pending);
    }
    return pending;
  }

  /**
   * The entries of one page. With a cursor, the page continues the snapshot the cursor came from
   * while it is kept; after that, it continues `current` after the cursor's article (or, where
   * that article left the ranking, after its (score, id)), with ranks of the current snapshot.
   */
  page(
    current: RankingSnapshot,
    first: number,
    after: { snapshotId: number; score: number; articleId: number } | null,
  ): { source: RankingSnapshot; start: number; entries: RankedEntry[] } {
    let source = current;
    let start = 0;
    if (after) {
      const kept = this.retained.get(after.snapshotId);
      if (kept && kept.key === current.key) source = kept;
      const position = source.positionOf.get(after.articleId);
      if (position !== undefined) start = position + 1;
      else {
        start = source.entries.findIndex(
          entry =>
            entry.score < after.score ||
            (entry.score === after.score && entry.articleId > after.articleId),
        );
        if (start < 0) start = source.entries.length;
      }
    }
    return { source, start, entries: source.entries.slice(start, start + first) };
  }

  /** A snapshot made earlier in this process, if still kept. */
  retainedSnapshot(id: number): RankingSnapshot | undefined {
    return this.retained.get(id);
  }

  /**
   * Makes every snapshot computed before `at` stale: the next request reads its ranking anew.
   * For the publication schedule, when scheduled articles become public. Kept snapshots still
   * serve the cursors made from them.
   */
  invalidate(at: Date): void {
    this.staleBefore = Math.max(this.staleBefore, at.getTime());
  }

  private isFresh(snapshot: RankingSnapshot, now: number): boolean {
    if (snapshot.computedAt.getTime() < this.staleBefore) return false;
    const age = now - snapshot.computedAt.getTime();
    if (age < 0) return false;
    if (age < this.settings.snapshotTtlSeconds * 1000) return true;
    return (
      snapshot.generation === this.generation() &&
      snapshot.hour === startOfHour(now) &&
      age < maxUnchangedAgeMs
    );
  }

  private async compute(
    { key, keyDigest, filter }: RankingKey,
    window: ViewWindow,
    metric: RankingMetric,
    now: Date,
    custom: Period | null,
  ): Promise<RankingSnapshot> {
    // Read the generation before the counts: a flush during the read makes the result stale, not wrong.
    const generation = this.generation();
    const at = now.getTime();
    const calendar = calendarOf(this.settings.timeZone);
    const period = periodOf(window, at, calendar, custom);
    const previousPeriod = period && previousPeriodOf(window, period, calendar);
    // The period before as it stood as far before its end as now is from this one's (TRENDING).
    const then = period && previousPeriod ? at - (period.end - previousPeriod.end) : at;
    const [scored, previous] = await Promise.all([
      this.scoredEntries(period, at, metric, filter, now),
      previousPeriod && this.previousRanks(key, previousPeriod, then, metric, filter, now),
    ]);
    let entries: RankedEntry[] = scored.map(entry => {
      const before = previous?.get(entry.articleId);
      return {
        articleId: entry.articleId,
        views: entry.views,
        uniqueVisitors: entry.uniqueVisitors,
        score: entry.score,
        previousRank: before?.rank ?? null,
        previousViews: previous ? (before?.views ?? 0) : null,
      };
    });
    const isFallback = entries.length === 0;
    if (isFallback) entries = await this.newestEntries(filter, now, previous);
    else entries.sort((a, b) => b.score - a.score || a.articleId - b.articleId);
    return this.keep({
      id: this.nextId++,
      key,
      keyDigest,
      computedAt: now,
      period,
      previousPeriod,
      isFallback,
      entries,
      positionOf: new Map(entries.map((entry, index) => [entry.articleId, index])),
      generation,
      hour: startOfHour(at),
    });
  }

  /**
   * The ranks and views of the period before a ranking's (previousRank, viewsChange). That period
   * is over, so its ranking is read once and kept while the period stays the same (for a rolling
   * window: an hour), at most an hour (an import may add history) and not across invalidate():
   * a refresh of the current ranking costs no second scan.
   */
  private async previousRanks(
    key: string,
    period: Period,
    at: number,
    metric: RankingMetric,
    filter: NormalizedFilter,
    now: Date,
  ): Promise<ReadonlyMap<number, PreviousRank>> {
    const kept = this.previous.get(key);
    if (
      kept &&
      kept.period.start === period.start &&
      kept.period.end === period.end &&
      kept.hour === startOfHour(now.getTime()) &&
      kept.computedAt >= this.staleBefore
    ) {
      return kept.ranks;
    }
    const computedAt = now.getTime();
    const entries = await this.scoredEntries(period, at, metric, filter, now);
    entries.sort((a, b) => b.score - a.score || a.articleId - b.articleId);
    const ranks = new Map(
      entries.map((entry, index) => [entry.articleId, { rank: index + 1, views: entry.views }]),
    );
    this.previous.delete(key);
    this.previous.set(key, { period, hour: startOfHour(computedAt), computedAt, ranks });
    if (this.previous.size > maxCurrentSnapshots) {
      this.previous.delete(this.previous.keys().next().value as string);
    }
    return ranks;
  }

  /**
   * The public articles with views in the period (null: all time, from the totals), scored by
   * the metric at `at`, unsorted. One statement (two for TRENDING); a bucket counts for the period
   * it starts in.
   */
  private async scoredEntries(
    period: Period | null,
    at: number,
    metric: RankingMetric,
    filter: NormalizedFilter,
    now: Date,
  ): Promise<ScoredEntry[]> {
    const params = new SqlParams(this.db.dialect);
    const where = rankingConditions(params, filter, now);
    const counts = rankingCounts(params, period, filter.source, metric === RankingMetric.READS);
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT c.*
       FROM (${counts}) c JOIN article a ON a.internal_id = c.article_id
       WHERE c.views > 0 AND ${where}`,
      params.values,
    );
    const entries: ScoredEntry[] = rows.map(row => {
      const views = Number(row.views);
      const uniqueVisitors = Number(row.unique_visitors);
      return {
        articleId: Number(row.article_id),
        views,
        uniqueVisitors,
        score:
          metric === RankingMetric.UNIQUE_VISITORS
            ? uniqueVisitors
            : metric === RankingMetric.READS
              ? Number(row.reads)
              : views,
      };
    });
    if (metric === RankingMetric.TRENDING && entries.length > 0) {
      const scores = await this.trendingScores(at, period, filter.source);
      for (const entry of entries) entry.score = scores.get(entry.articleId) ?? 0;
    }
    return entries;
  }

  /** Where no article has views in the window: the newest public articles, in date order. */
  private async newestEntries(
    filter: NormalizedFilter,
    now: Date,
    previous: ReadonlyMap<number, PreviousRank> | null,
  ): Promise<RankedEntry[]> {
    const params = new SqlParams(this.db.dialect);
    const newest: Record<string, unknown>[] = await this.db.query(
      `SELECT a.internal_id FROM article a WHERE ${rankingConditions(params, filter, now)}
       ORDER BY a.published_at DESC, a.internal_id DESC LIMIT ${fallbackSize}`,
      params.values,
    );
    return newest.map(row => {
      const articleId = Number(row.internal_id);
      const before = previous?.get(articleId);
      return {
        articleId,
        views: 0,
        uniqueVisitors: 0,
        score: 0,
        previousRank: before?.rank ?? null,
        previousViews: previous ? (before?.views ?? 0) : null,
      };
    });
  }

  /** Makes a snapshot the current one of its ranking and keeps it for the cursors made from it. */
  private keep(snapshot: RankingSnapshot): RankingSnapshot {
    // Deleted first so that the Map's order is the order of the last reads, oldest first.
    this.current.delete(snapshot.key);
    this.current.set(snapshot.key, snapshot);
    if (this.current.size > maxCurrentSnapshots) {
      this.current.delete(this.current.keys().next().value as string);
    }
    this.retained.set(snapshot.id, snapshot);
    if (this.retained.size > retainedSnapshots) {
      this.retained.delete(this.retained.keys().next().value as number);
    }
    return snapshot;
  }

  /**
   * TRENDING: the sum over the period's buckets of views * exp(-age * ln 2 / half-life), age in
   * hours from the bucket's start to `at`. The weights go to SQL as a VALUES list (one per hour),
   * since SQLite has no exp() in every build.
   */
  private async trendingScores(
    at: number,
    period: Period | null,
    source: TrafficSource | null,
  ): Promise<Map<number, number>> {
    const halfLifeMs = this.settings.trendingHalfLifeHours * hourMs;
    const oldest = at - trendingHorizonHalfLives * halfLifeMs - hourMs;
    const span = period ?? { start: oldest, end: startOfHour(at) + hourMs };
    const params = new SqlParams(this.db.dialect);
    const weights: string[] = [];
    let first = span.end;
    for (let hour = span.end - hourMs; hour >= span.start && hour > oldest; hour -= hourMs) {
      const weight = Math.exp((-(at - hour) * Math.LN2) / halfLifeMs);
      weights.push(
        `(CAST(${params.add(hour)} AS bigint), CAST(${params.add(weight)} AS double precision))`,
      );
      first = hour;
    }
    if (weights.length === 0) return new Map();
    const inRange = `bucket_start >= ${params.add(first)} AND bucket_start < ${params.add(span.end)}`;
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT r.article_id, SUM(r.views * w.column2) AS score
       FROM (${trendingRows(params, inRange, source)}) r JOIN (VALUES ${weights.join(', ')}) w ON w.column1 = r.bucket_start
       GROUP BY r.article_id`,
      params.values,
    );
    return new Map(rows.map(row => [Number(row.article_id), Number(row.score)]));
  }
}

/** An entry as read from the rollups, before its movement is known. */
type ScoredEntry = Omit<RankedEntry, 'previousRank' | 'previousViews'>;

/** An article's rank and views in the period before a ranking's. */
interface PreviousRank {
  rank: number;
  views: number;
}
