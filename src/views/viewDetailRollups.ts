import type { SiteCalendar } from './siteCalendar';
import { dayMs } from './timeBuckets';
import { chunks, dayBatchesBefore, type Queryable, rowsFrom } from './viewRollups';
import { dayStartSql } from './zoneDays';
import type { Dialect } from '../db/dialect';
import { SqlParams } from '../db/dialect';

/** Views of one article in one bucket from one source, host and campaign ('' for none). */
export interface SourceCount {
  articleId: number;
  bucketStart: number;
  source: string;
  host: string;
  campaign: string;
  views: number;
  uniqueVisitors: number;
}

/** Engagement reports on the views of one article in one bucket. */
export interface EngagementCount {
  articleId: number;
  bucketStart: number;
  reports: number;
  reads: number;
  engagedSeconds: number;
}

const sourceColumns = [
  { name: 'article_id', type: 'integer' },
  { name: 'bucket_start', type: 'bigint' },
  { name: 'source', type: 'text' },
  { name: 'host', type: 'text' },
  { name: 'campaign', type: 'text' },
  { name: 'views', type: 'integer' },
  { name: 'unique_visitors', type: 'integer' },
] as const;

const engagementColumns = [
  { name: 'article_id', type: 'integer' },
  { name: 'bucket_start', type: 'bigint' },
  { name: 'reports', type: 'integer' },
  { name: 'reads', type: 'integer' },
  { name: 'engaged_seconds', type: 'bigint' },
] as const;

/** Adds source counts to article_source_hour (or _day). Keys unique within the call. */
export async function addSourceCounts(
  runner: Queryable,
  dialect: Dialect,
  rows: readonly SourceCount[],
  table: 'article_source_hour' | 'article_source_day' = 'article_source_hour',
): Promise<void> {
  for (const chunk of chunks(rows)) {
    const params = new SqlParams(dialect);
    const source = rowsFrom(
      dialect,
      params,
      sourceColumns,
      chunk.map(r => [
        r.articleId,
        r.bucketStart,
        r.source,
        r.host,
        r.campaign,
        r.views,
        r.uniqueVisitors,
      ]),
    );
    await runner.query(
      `INSERT INTO ${table} (article_id, bucket_start, source, host, campaign, views, unique_visitors)
       ${source}
       ON CONFLICT (article_id, bucket_start, source, host, campaign) DO UPDATE SET
         views = ${table}.views + excluded.views,
         unique_visitors = ${table}.unique_visitors + excluded.unique_visitors`,
      params.values,
    );
  }
}

/** Adds engagement counts to article_engagement_hour and the running totals. */
export async function addEngagementCounts(
  runner: Queryable,
  dialect: Dialect,
  rows: readonly EngagementCount[],
): Promise<void> {
  const upsert = (table: string, key: string, columns: readonly string[]) =>
    `ON CONFLICT (${key}) DO UPDATE SET ${columns
      .map(column => `${column} = ${table}.${column} + excluded.${column}`)
      .join(', ')}`;
  const counted = ['reports', 'reads', 'engaged_seconds'];
  for (const chunk of chunks(rows)) {
    const params = new SqlParams(dialect);
    const source = rowsFrom(
      dialect,
      params,
      engagementColumns,
      chunk.map(r => [r.articleId, r.bucketStart, r.reports, r.reads, r.engagedSeconds]),
    );
    await runner.query(
      `INSERT INTO article_engagement_hour (article_id, bucket_start, reports, reads, engaged_seconds)
       ${source} ${upsert('article_engagement_hour', 'article_id, bucket_start', counted)}`,
      params.values,
    );
  }
  const totals = new Map<number, EngagementCount>();
  for (const row of rows) {
    const total = totals.get(row.articleId) ?? { ...row, reports: 0, reads: 0, engagedSeconds: 0 };
    total.reports += row.reports;
    total.reads += row.reads;
    total.engagedSeconds += row.engagedSeconds;
    totals.set(row.articleId, total);
  }
  for (const chunk of chunks([...totals.values()])) {
    const params = new SqlParams(dialect);
    const source = rowsFrom(
      dialect,
      params,
      [engagementColumns[0], ...engagementColumns.slice(2)],
      chunk.map(r => [r.articleId, r.reports, r.reads, r.engagedSeconds]),
    );
    await runner.query(
      `INSERT INTO article_engagement_total (article_id, reports, reads, engaged_seconds)
       ${source} ${upsert('article_engagement_total', 'article_id', counted)}`,
      params.values,
    );
  }
}

/**
 * The hosts and campaigns already counted for these articles on the site's day `day` (the rows
 * of the current day are all hourly: only whole days older than the hourly retention are
 * compacted).
 */
export async function keysOfDay(
  runner: Queryable,
  dialect: Dialect,
  articleIds: readonly number[],
  day: { start: number; end: number },
): Promise<{ articleId: number; host: string; campaign: string }[]> {
  const out: { articleId: number; host: string; campaign: string }[] = [];
  for (const chunk of chunks(articleIds, 500)) {
    const params = new SqlParams(dialect);
    const rows = (await runner.query(
      `SELECT DISTINCT article_id, host, campaign FROM article_source_hour
       WHERE article_id IN ${params.list(chunk)} AND bucket_start >= ${params.add(day.start)}
         AND bucket_start < ${params.add(day.end)}`,
      params.values,
    )) as Record<string, unknown>[];
    for (const row of rows) {
      out.push({
        articleId: Number(row.article_id),
        host: String(row.host),
        campaign: String(row.campaign),
      });
    }
  }
  return out;
}

/** A detail rollup's hourly and daily tables, the key beside bucket_start, and its counts. */
export interface DetailRollup {
  hour: string;
  day: string;
  key: readonly string[];
  counts: readonly string[];
}

export const detailRollups: readonly DetailRollup[] = [
  {
    hour: 'article_source_hour',
    day: 'article_source_day',
    key: ['article_id', 'source', 'host', 'campaign'],
    counts: ['views', 'unique_visitors'],
  },
  {
    hour: 'article_engagement_hour',
    day: 'article_engagement_day',
    key: ['article_id'],
    counts: ['reports', 'reads', 'engaged_seconds'],
  },
];

/**
 * Folds hourly source and engagement rows that start before `cutoff` (a midnight of the site's
 * zone) into their days of that zone, as compactHours does for the views: the same days, so a
 * day's breakdown sums to its views. Call inside the same transaction.
 */
export async function compactDetails(
  runner: Queryable,
  dialect: Dialect,
  cutoff: number,
  calendar: SiteCalendar,
): Promise<void> {
  for (const rollup of detailRollups) {
    if (calendar.isUtc) {
      const day = `bucket_start - (bucket_start % ${dayMs})`;
      await moveDetails(runner, dialect, rollup, { start: null, end: cutoff }, () => day);
      continue;
    }
    for (const { start, end, days } of await dayBatchesBefore(
      runner,
      dialect,
      rollup.hour,
      cutoff,
      calendar,
    )) {
      await moveDetails(runner, dialect, rollup, { start, end }, p =>
        dayStartSql(p, 'bucket_start', days),
      );
    }
  }
}

/**
 * Moves the hourly rows of `rollup` in [range.start, range.end) into its daily table under the
 * day `day` gives (SQL over bucket_start), adding to the rows there, and deletes them.
 */
async function moveDetails(
  runner: Queryable,
  dialect: Dialect,
  { hour, day: dayTable, key, counts }: DetailRollup,
  range: { start: number | null; end: number },
  day: (params: SqlParams) => string,
): Promise<void> {
  const inRange = (p: SqlParams) =>
    `bucket_start < ${p.add(range.end)}${range.start === null ? '' : ` AND bucket_start >= ${p.add(range.start)}`}`;
  const params = new SqlParams(dialect);
  const where = inRange(params);
  const target = day(params);
  // The WHERE clause also keeps SQLite from reading ON CONFLICT as a join constraint.
  await runner.query(
    `INSERT INTO ${dayTable} (${key.join(', ')}, bucket_start, ${counts.join(', ')})
     SELECT ${key.join(', ')}, ${target}, ${counts.map(c => `SUM(${c})`).join(', ')}
     FROM ${hour} WHERE ${where}
     GROUP BY ${key.join(', ')}, ${target}
     ON CONFLICT (${['article_id', 'bucket_start', ...key.slice(1)].join(', ')}) DO UPDATE SET
       ${counts.map(c => `${c} = ${dayTable}.${c} + excluded.${c}`).join(', ')}`,
    params.values,
  );
  const deleteParams = new SqlParams(dialect);
  await runner.query(`DELETE FROM ${hour} WHERE ${inRange(deleteParams)}`, deleteParams.values);
}
