import type { TrafficSource } from './trafficSource';
import { hourlyRows } from './viewRollups';
import type { SqlParams } from '../db/dialect';

/**
 * The counts a ranking reads, as a FROM item of (article_id, views, unique_visitors[, reads]):
 * from the view rollups, or with a source from the source rollups (the views of that class
 * only), and with `reads` the engagement rollups' reads beside the views. `period` null: all time
 * (the running totals, or for a source every bucket of its rollups).
 */
export function rankingCounts(
  params: SqlParams,
  period: { start: number; end: number } | null,
  source: TrafficSource | null,
  reads: boolean,
): string {
  const after =
    period === null
      ? 'true'
      : `bucket_start >= ${params.add(period.start)} AND bucket_start < ${params.add(period.end)}`;
  let views: string;
  if (source !== null) {
    const only = `source = ${params.add(source)} AND ${after}`;
    views = `SELECT article_id, SUM(views) AS views, SUM(unique_visitors) AS unique_visitors FROM (
        SELECT article_id, views, unique_visitors FROM article_source_hour WHERE ${only}
        UNION ALL
        SELECT article_id, views, unique_visitors FROM article_source_day WHERE ${only}
      ) r GROUP BY article_id`;
  } else if (period === null) {
    views = 'SELECT article_id, views, unique_visitors FROM article_view_total';
  } else {
    // A bucket counts for the period it starts in (src/views/rankingPeriods.ts).
    views = `SELECT article_id, SUM(views) AS views, SUM(unique_visitors) AS unique_visitors
        FROM (
          ${hourlyRows('article_id, views, unique_visitors', after)}
          UNION ALL
          SELECT article_id, views, unique_visitors FROM article_view_day WHERE ${after}
        ) r GROUP BY article_id`;
  }
  if (!reads) return views;
  const engaged =
    period === null
      ? 'SELECT article_id, reads FROM article_engagement_total'
      : `SELECT article_id, SUM(reads) AS reads FROM (
          SELECT article_id, reads FROM article_engagement_hour WHERE ${after}
          UNION ALL
          SELECT article_id, reads FROM article_engagement_day WHERE ${after}
        ) e GROUP BY article_id`;
  // Only articles with reads rank; their views come along for the edge's numbers.
  return `SELECT v.article_id, v.views, v.unique_visitors, e.reads
    FROM (${views}) v JOIN (${engaged}) e ON e.article_id = v.article_id WHERE e.reads > 0`;
}

/** TRENDING's rows (article_id, bucket_start, views) where `inRange` (a bucket_start condition). */
export function trendingRows(
  params: SqlParams,
  inRange: string,
  source: TrafficSource | null,
): string {
  if (source !== null) {
    const only = `source = ${params.add(source)} AND ${inRange}`;
    return `SELECT article_id, bucket_start, views FROM article_source_hour WHERE ${only}
      UNION ALL
      SELECT article_id, bucket_start, views FROM article_source_day WHERE ${only}`;
  }
  return `${hourlyRows('article_id, bucket_start, views', inRange)}
    UNION ALL
    SELECT article_id, bucket_start, views FROM article_view_day WHERE ${inRange}`;
}
