import type { ViewSettings } from '../config';
import { calendarOf, type SiteCalendar } from './siteCalendar';
import { hourlyRows } from './viewRollups';
import { wallDaySql } from './zoneDays';
import { SqlParams } from '../db/dialect';
import { articleCardColumns, articleCardFromRow } from '../db/reads/articleRows';
import type { Sql } from '../db/SqlReader';
import type { Article } from '../entities/Article';
import { Granularity } from '../entities/enums';
import { BadUserInputError } from '../errors/BadUserInputError';
import { decodeCursor, encodeCursor } from '../relay/cursor';

export interface ViewStatsRequest {
  from: Date;
  to: Date;
  granularity: Granularity;
  slugs?: readonly string[] | null;
}

/** The buckets of a request: from and to widened to whole buckets of the site's calendar. */
export interface BucketRange {
  granularity: Granularity;
  calendar: SiteCalendar;
  starts: number[];
  /** The end of the last bucket (exclusive). */
  end: number;
}

export interface ViewPointValue {
  start: Date;
  views: number;
  uniqueVisitors: number;
}

export interface ViewSeries {
  article: Article;
  total: number;
  points: ViewPointValue[];
}

export interface ViewSeriesPage {
  series: ViewSeries[];
  cursors: string[];
  hasNextPage: boolean;
}

// A job asks for its own list of articles; longer lists go in several requests.
const maxSlugs = 1000;

/**
 * Checks a request and lists its buckets: `from` before `to`, at most VIEW_STATS_MAX_BUCKETS
 * buckets, HOUR only where hourly rows are still kept. Every failure is BAD_USER_INPUT that says
 * what was expected and what arrived.
 */
export function bucketRange(
  request: ViewStatsRequest,
  now: Date,
  settings: Pick<ViewSettings, 'hourlyRetentionDays' | 'statsMaxBuckets' | 'timeZone'>,
): BucketRange {
  const calendar = calendarOf(settings.timeZone);
  const from = request.from.getTime();
  const to = request.to.getTime();
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
    throw new BadUserInputError(
      `to must be after from, got from ${request.from.toISOString()} and to ${request.to.toISOString()}.`,
    );
  }
  if (request.slugs && request.slugs.length > maxSlugs) {
    throw new BadUserInputError(
      `slugs must list at most ${maxSlugs} articles, got ${request.slugs.length}.`,
    );
  }
  const first = calendar.bucketStart(from, request.granularity);
  if (request.granularity === Granularity.HOUR) {
    const cutoff = calendar.hourlyCutoff(now.getTime(), settings.hourlyRetentionDays);
    if (first < cutoff) {
      throw new BadUserInputError(
        `HOUR granularity is kept for ${settings.hourlyRetentionDays} days only (from ${new Date(cutoff).toISOString()}), got from ${request.from.toISOString()}; use DAY, WEEK or MONTH for older ranges.`,
      );
    }
  }
  const starts: number[] = [];
  let start = first;
  while (start < to) {
    if (starts.length === settings.statsMaxBuckets) {
      throw new BadUserInputError(
        `a series may have at most ${settings.statsMaxBuckets} ${request.granularity} buckets, got more from ${request.from.toISOString()} to ${request.to.toISOString()}.`,
      );
    }
    starts.push(start);
    start = calendar.nextBucket(start, request.granularity);
  }
  return { granularity: request.granularity, calendar, starts, end: start };
}

/**
 * Which articles a request covers, in internal id order: those named by `slugs` (any status; a
 * slug that names no article is left out), else every article that has ever had a view.
 */
function articleSelection(
  params: SqlParams,
  slugs: readonly string[] | null | undefined,
): { from: string; where: string[] } {
  if (slugs) {
    return {
      from: 'FROM article a',
      where: [slugs.length === 0 ? '1 = 0' : `a.slug IN ${params.list(slugs)}`],
    };
  }
  return {
    from: 'FROM article_view_total t JOIN article a ON a.internal_id = t.article_id',
    where: ['t.views > 0'],
  };
}

/** How many articles a request covers (ArticleViewSeriesConnection.totalCount). */
export async function countSeries(db: Sql, request: ViewStatsRequest): Promise<number> {
  const params = new SqlParams(db.dialect);
  const selection = articleSelection(params, request.slugs);
  const rows: { total: number }[] = await db.query(
    `SELECT COUNT(*) AS total ${selection.from} WHERE ${selection.where.join(' AND ')}`,
    params.values,
  );
  return Number(rows[0]?.total ?? 0);
}

/**
 * One page of dense series: every bucket of the range for every article of the page, zeros
 * included, read from hourly and daily rollups in one statement. Unique visitors of a bucket are
 * the sum of its hours' (see README "Counting views": visitor-days).
 */
export async function viewSeriesPage(
  db: Sql,
  request: ViewStatsRequest,
  range: BucketRange,
  first: number,
  after: string | null | undefined,
): Promise<ViewSeriesPage> {
  const dialect = db.dialect;
  const params = new SqlParams(dialect);
  const selection = articleSelection(params, request.slugs);
  if (after) {
    const [afterId] = decodeCursor(after, 'viewStats', ['id'] as const);
    selection.where.push(`a.internal_id > ${params.add(afterId)}`);
  }
  const articleRows: Record<string, unknown>[] = await db.query(
    `SELECT ${articleCardColumns} ${selection.from} WHERE ${selection.where.join(' AND ')}
     ORDER BY a.internal_id LIMIT ${params.add(first + 1)}`,
    params.values,
  );
  const hasNextPage = articleRows.length > first;
  const articles = articleRows.slice(0, first).map(articleCardFromRow);
  if (articles.length === 0) return { series: [], cursors: [], hasNextPage: false };

  const countParams = new SqlParams(dialect);
  const ids = countParams.list(articles.map(article => article.internalId));
  const start = countParams.add(range.starts[0]);
  const end = countParams.add(range.end);
  // Hours are summed to days in SQL unless hours are asked for: 24 times fewer rows to carry
  // (100 articles over 30 days: 3,000 instead of 72,000). A day is the zone's: SQL groups hours by
  // their local date (wallDaySql, as the zone's midnight written as UTC), mapped back here.
  const inRange = `article_id IN ${ids} AND bucket_start >= ${start} AND bucket_start < ${end}`;
  const hours =
    range.granularity === Granularity.HOUR
      ? `SELECT article_id, bucket_start, views, unique_visitors, 0 AS wall FROM (
           ${hourlyRows('article_id, bucket_start, views, unique_visitors', inRange)}
         ) h`
      : hoursByDay(countParams, range, inRange);
  const rows: Record<string, unknown>[] = await db.query(
    `${hours}
     UNION ALL
     SELECT article_id, bucket_start, views, unique_visitors, 0 AS wall FROM article_view_day
       WHERE article_id IN ${ids} AND bucket_start >= ${start} AND bucket_start < ${end}`,
    countParams.values,
  );
  const grids = new Map(
    articles.map(article => [
      article.internalId,
      {
        views: new Array<number>(range.starts.length).fill(0),
        uniques: new Array<number>(range.starts.length).fill(0),
      },
    ]),
  );
  const dayStarts = new Map<number, number>();
  for (const row of rows) {
    let at = Number(row.bucket_start);
    if (Number(row.wall) === 1) {
      let day = dayStarts.get(at);
      if (day === undefined) {
        day = range.calendar.fromWall(at);
        dayStarts.set(at, day);
      }
      at = day;
    }
    const position = bucketIndex(range.starts, at);
    const grid = grids.get(Number(row.article_id));
    if (position < 0 || at >= range.end || !grid) continue;
    grid.views[position] += Number(row.views);
    grid.uniques[position] += Number(row.unique_visitors);
  }
  const series = articles.map(article => {
    const grid = grids.get(article.internalId) as { views: number[]; uniques: number[] };
    const points = range.starts.map((bucket, position) => ({
      start: new Date(bucket),
      views: grid.views[position],
      uniqueVisitors: grid.uniques[position],
    }));
    return { article, total: grid.views.reduce((sum, views) => sum + views, 0), points };
  });
  return {
    series,
    cursors: articles.map(article => encodeCursor('viewStats', [article.internalId])),
    hasNextPage,
  };
}

/** Hourly rows summed per article and local date (the zone's midnight as a wall instant). */
function hoursByDay(params: SqlParams, range: BucketRange, inRange: string): string {
  const day = wallDaySql(params, 'bucket_start', range.calendar, range.starts[0], range.end);
  return `SELECT article_id, ${day} AS bucket_start,
      SUM(views) AS views, SUM(unique_visitors) AS unique_visitors, 1 AS wall FROM (
        ${hourlyRows('article_id, bucket_start, views, unique_visitors', inRange)}
      ) h GROUP BY article_id, ${day}`;
}

/** The position of the last bucket start at or before `at` (starts ascending), or -1. */
function bucketIndex(starts: readonly number[], at: number): number {
  let low = 0;
  let high = starts.length - 1;
  if (high < 0 || at < starts[0]) return -1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= at) low = middle;
    else high = middle - 1;
  }
  return low;
}
