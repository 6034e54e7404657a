import { createHash, randomInt } from 'node:crypto';
import { rankingCounts, trendingRows } from './rankingSources';
import { dayMs, hourMs, startOfHour } from './timeBuckets';
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
}

/** One ranking as read from the rollups at one instant; never changed once built. */
export interface RankingSnapshot {
  id: number;
  /** Window, metric and filter: snapshots of the same key are versions of the same ranking. */
  key: string;
  /** A short, stable digest of the key for cursors. */
  keyDigest: string;
  computedAt: Date;
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
}

const windowMs: Record<Exclude<ViewWindow, ViewWindow.ALL_TIME>, number> = {
  [ViewWindow.LAST_24_HOURS]: dayMs,
  [ViewWindow.LAST_7_DAYS]: 7 * dayMs,
  [ViewWindow.LAST_30_DAYS]: 30 * dayMs,
};

// Snapshots kept for paging after a newer one replaced them; each holds at most one entry per
// article with views (20,000 articles: about 2 MB), so 16 bound the memory at a few tens of MB.
const retainedSnapshots = 16;
// Without new counts a snapshot stays valid past its TTL, but never across an hour or a minute.
const maxUnchangedAgeMs = 60_000;
// A fallback ranking lists at most this many of the newest articles.
const fallbackSize = 100;
// TRENDING ignores buckets older than 64 half-lives: their weight is below 2^-64.
const trendingHorizonHalfLives = 64;

/** The first bucket start that belongs to a rolling window ending at `now` (exclusive bound). */
export function windowStart(window: ViewWindow, now: number): number | null {
  return window === ViewWindow.ALL_TIME ? null : now - windowMs[window];
}

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
 * The key of a ranking: window, metric and filter, normalized so that the same ranking asked for
 * in another spelling has the same key. Computed without SQL, so that a cursor of another ranking
 * is refused before this one is read.
 */
export function rankingKey(
  window: ViewWindow,
  metric: RankingMetric,
  filter: MostReadFilterInput | null | undefined,
): RankingKey {
  const normalized = normalizedFilter(filter);
  const key = JSON.stringify([window, metric, normalized]);
  return {
    key,
    keyDigest: createHash('sha256').update(key).digest('base64url').slice(0, 12),
    filter: normalized,
  };
}

/**
 * Most-read rankings from the rollups through short-lived snapshots, one per (window, metric,
 * filter). A snapshot is read by one statement (two for TRENDING) and reused until it is older
 * than the TTL and counts have been written since, or the hour has turned, or a minute has passed.
 * Concurrent requests for an expired snapshot share one refresh. Recent snapshots are kept so
 * that a client paging with a cursor keeps reading the ranking its first page came from.
 */
export class RankingSnapshots {
  private readonly current = new Map<string, RankingSnapshot>();
  private readonly refreshing = new Map<string, Promise<RankingSnapshot>>();
  private readonly retained = new Map<number, RankingSnapshot>();
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
  ): Promise<RankingSnapshot> {
    const ranking = rankingKey(window, metric, filter);
    const { key } = ranking;
    const existing = this.current.get(key);
    if (existing && this.isFresh(existing, now.getTime())) return existing;
    let pending = this.refreshing.get(key);
    if (!pending) {
      pending = this.compute(ranking, window, metric, now).finally(() =>
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
  ): Promise<RankingSnapshot> {
    // Read the generation before the counts: a flush during the read makes the result stale, not wrong.
    const generation = this.generation();
    let entries = await this.rankedEntries(window, metric, filter, now);
    const isFallback = entries.length === 0;
    if (isFallback) entries = await this.newestEntries(filter, now);
    else entries.sort((a, b) => b.score - a.score || a.articleId - b.articleId);
    return this.keep({
      id: this.nextId++,
      key,
      keyDigest,
      computedAt: now,
      isFallback,
      entries,
      positionOf: new Map(entries.map((entry, index) => [entry.articleId, index])),
      generation,
      hour: startOfHour(now.getTime()),
    });
  }

  /** The public articles with views in the window, scored by the metric, unsorted. */
  private async rankedEntries(
    window: ViewWindow,
    metric: RankingMetric,
    filter: NormalizedFilter,
    now: Date,
  ): Promise<RankedEntry[]> {
    const at = now.getTime();
    const start = windowStart(window, at);
    const params = new SqlParams(this.db.dialect);
    const where = rankingConditions(params, filter, now);
    const counts = rankingCounts(params, start, filter.source, metric === RankingMetric.READS);
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT c.*
       FROM (${counts}) c JOIN article a ON a.internal_id = c.article_id
       WHERE c.views > 0 AND ${where}`,
      params.values,
    );
    const entries: RankedEntry[] = rows.map(row => {
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
      const scores = await this.trendingScores(at, start, filter.source);
      for (const entry of entries) entry.score = scores.get(entry.articleId) ?? 0;
    }
    return entries;
  }

  /** Where no article has views in the window: the newest public articles, in date order. */
  private async newestEntries(filter: NormalizedFilter, now: Date): Promise<RankedEntry[]> {
    const params = new SqlParams(this.db.dialect);
    const newest: Record<string, unknown>[] = await this.db.query(
      `SELECT a.internal_id FROM article a WHERE ${rankingConditions(params, filter, now)}
       ORDER BY a.published_at DESC, a.internal_id DESC LIMIT ${fallbackSize}`,
      params.values,
    );
    return newest.map(row => ({
      articleId: Number(row.internal_id),
      views: 0,
      uniqueVisitors: 0,
      score: 0,
    }));
  }

  /** Makes a snapshot the current one of its ranking and keeps it for the cursors made from it. */
  private keep(snapshot: RankingSnapshot): RankingSnapshot {
    this.current.set(snapshot.key, snapshot);
    this.retained.set(snapshot.id, snapshot);
    if (this.retained.size > retainedSnapshots) {
      this.retained.delete(this.retained.keys().next().value as number);
    }
    return snapshot;
  }

  /**
   * TRENDING: the sum over the window's buckets of views * exp(-age * ln 2 / half-life), age in
   * hours from the bucket's start to now. The weights go to SQL as a VALUES list (one per hour),
   * since SQLite has no exp() in every build.
   */
  private async trendingScores(
    now: number,
    start: number | null,
    source: TrafficSource | null,
  ): Promise<Map<number, number>> {
    const halfLifeMs = this.settings.trendingHalfLifeHours * hourMs;
    const horizon = now - trendingHorizonHalfLives * halfLifeMs;
    const from = Math.max(start ?? horizon, horizon);
    const params = new SqlParams(this.db.dialect);
    const weights: string[] = [];
    for (let hour = startOfHour(now); hour > from - hourMs; hour -= hourMs) {
      const weight = Math.exp((-(now - hour) * Math.LN2) / halfLifeMs);
      weights.push(
        `(CAST(${params.add(hour)} AS bigint), CAST(${params.add(weight)} AS double precision))`,
      );
    }
    const lower = params.add(from);
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT r.article_id, SUM(r.views * w.column2) AS score
       FROM (${trendingRows(params, lower, source)}) r JOIN (VALUES ${weights.join(', ')}) w ON w.column1 = r.bucket_start
       GROUP BY r.article_id`,
      params.values,
    );
    return new Map(rows.map(row => [Number(row.article_id), Number(row.score)]));
  }
}
