import type { BucketRange } from './viewStats';
import { SqlParams } from '../db/dialect';
import type { Sql } from '../db/SqlReader';

/** What viewStats(breakdown:) splits each bucket's views by. */
export enum ViewBreakdown {
  SOURCE = 'SOURCE',
  HOST = 'HOST',
  CAMPAIGN = 'CAMPAIGN',
}

const breakdownColumn: Record<ViewBreakdown, string> = {
  [ViewBreakdown.SOURCE]: 'source',
  [ViewBreakdown.HOST]: 'host',
  [ViewBreakdown.CAMPAIGN]: 'campaign',
};

export interface BreakdownCount {
  /** The source class, host or campaign; null for none (no referrer host, no campaign). */
  key: string | null;
  views: number;
  uniqueVisitors: number;
}

/** The engagement and breakdown of one bucket of one article. */
export interface PointDetails {
  reads: number;
  engagementReports: number;
  engagedSeconds: number;
  /** Most views first, then by key; empty without a breakdown. */
  breakdown: BreakdownCount[];
}

/** The bucket of the range an instant falls in (the last start at or before it), or -1. */
function positionIn(range: BucketRange, at: number): number {
  if (at < range.starts[0] || at >= range.end) return -1;
  let low = 0;
  let high = range.starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (range.starts[middle] <= at) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * Engagement (reads, reports, engaged seconds) and, where asked, the breakdown by source, host or
 * campaign of every bucket of the range for these articles: one statement each, from the hourly
 * and daily rollups of the TrafficSources migration. Rows are placed by their bucket's start, so
 * any bucketing of the range (UTC or a site's time zone) places them as the views are placed.
 */
export async function seriesDetails(
  db: Sql,
  articleIds: readonly number[],
  range: BucketRange,
  breakdown: ViewBreakdown | null,
): Promise<Map<number, PointDetails[]>> {
  const details = new Map(
    articleIds.map(id => [
      id,
      range.starts.map(() => ({
        reads: 0,
        engagementReports: 0,
        engagedSeconds: 0,
        breakdown: [],
      })),
    ]),
  );
  if (articleIds.length === 0 || range.starts.length === 0) return details;
  const params = new SqlParams(db.dialect);
  const where = `article_id IN ${params.list(articleIds)} AND bucket_start >= ${params.add(range.starts[0])} AND bucket_start < ${params.add(range.end)}`;
  const engagement: Record<string, unknown>[] = await db.query(
    `SELECT article_id, bucket_start, reports, reads, engaged_seconds FROM article_engagement_hour WHERE ${where}
     UNION ALL
     SELECT article_id, bucket_start, reports, reads, engaged_seconds FROM article_engagement_day WHERE ${where}`,
    params.values,
  );
  for (const row of engagement) {
    const point = details.get(Number(row.article_id))?.[
      positionIn(range, Number(row.bucket_start))
    ];
    if (!point) continue;
    point.reads += Number(row.reads);
    point.engagementReports += Number(row.reports);
    point.engagedSeconds += Number(row.engaged_seconds);
  }
  if (breakdown === null) return details;
  const column = breakdownColumn[breakdown];
  const grouped = (table: string) =>
    `SELECT article_id, bucket_start, ${column} AS item, SUM(views) AS views, SUM(unique_visitors) AS unique_visitors
     FROM ${table} WHERE ${where} GROUP BY article_id, bucket_start, ${column}`;
  const rows: Record<string, unknown>[] = await db.query(
    `${grouped('article_source_hour')} UNION ALL ${grouped('article_source_day')}`,
    params.values,
  );
  const counts = new Map<PointDetails, Map<string, BreakdownCount>>();
  for (const row of rows) {
    const point = details.get(Number(row.article_id))?.[
      positionIn(range, Number(row.bucket_start))
    ];
    if (!point) continue;
    const items = counts.get(point) ?? new Map<string, BreakdownCount>();
    counts.set(point, items);
    const key = String(row.item);
    const item = items.get(key) ?? { key: key === '' ? null : key, views: 0, uniqueVisitors: 0 };
    item.views += Number(row.views);
    item.uniqueVisitors += Number(row.unique_visitors);
    items.set(key, item);
  }
  for (const [point, items] of counts) point.breakdown = sortedCounts(items.values());
  return details;
}

/** Most views first, then by key (none last). */
export function sortedCounts(items: Iterable<BreakdownCount>): BreakdownCount[] {
  return [...items].sort(
    (a, b) =>
      b.views - a.views ||
      (a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

/** The breakdown of a whole series: each key's counts summed over its points. */
export function totalBreakdown(points: readonly PointDetails[]): BreakdownCount[] {
  const totals = new Map<string | null, BreakdownCount>();
  for (const point of points) {
    for (const item of point.breakdown) {
      const total = totals.get(item.key) ?? { key: item.key, views: 0, uniqueVisitors: 0 };
      total.views += item.views;
      total.uniqueVisitors += item.uniqueVisitors;
      totals.set(item.key, total);
    }
  }
  return sortedCounts(totals.values());
}

/** Seconds per report to one decimal; null where nothing reported. */
export function averageSeconds(seconds: number, reports: number): number | null {
  return reports === 0 ? null : Math.round((seconds / reports) * 10) / 10;
}
