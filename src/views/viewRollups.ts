import type { SiteCalendar } from './siteCalendar';
import { dayMs } from './timeBuckets';
import { dayStartSql } from './zoneDays';
import type { Dialect } from '../db/dialect';
import { SqlParams } from '../db/dialect';

/** Anything that runs a raw statement: a DataSource, or the EntityManager of a transaction. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Counts for one article in one bucket (an hour or a day, by its start in epoch ms, UTC). */
export interface BucketCount {
  articleId: number;
  bucketStart: number;
  views: number;
  uniqueVisitors: number;
}

/**
 * The rollups: the current hour's (the flusher writes there, clustered by hour), past hours (the
 * last HOURLY_RETENTION_DAYS) and days. A window's counts are the sum over all three.
 */
export type RollupTable = 'article_view_recent' | 'article_view_hour' | 'article_view_day';

/**
 * The hourly rows of a window in SQL: article_view_hour and article_view_recent, which holds the
 * hours not yet folded. `columns` are selected from both; `where` applies to both.
 */
export function hourlyRows(columns: string, where: string): string {
  return `SELECT ${columns} FROM article_view_hour WHERE ${where}
    UNION ALL
    SELECT ${columns} FROM article_view_recent WHERE ${where}`;
}

// Rows a statement: the rows travel as one parameter, so this only bounds a statement's size.
const rowsPerStatement = 5000;

export function chunks<T>(items: readonly T[], size = rowsPerStatement): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size) {
    out.push(items.slice(index, index + size));
  }
  return out;
}

/**
 * Rows of integers as a FROM item with the given column names, from as few parameters as the
 * dialect allows: on SQLite one JSON array of rows read by json_each, on PostgreSQL one array per
 * column, unnest()ed. A parameter per value cost the sqlite3 driver about a microsecond each on
 * the event loop (a 6,600-row flush: 26,400 of them); one JSON text is parsed by SQLite on its
 * worker thread.
 */
export function rowsFrom(
  dialect: Dialect,
  params: SqlParams,
  columns: readonly { name: string; type: 'integer' | 'bigint' | 'text' }[],
  rows: readonly (readonly (number | string)[])[],
): string {
  if (dialect === 'postgres') {
    const arrays = columns.map(
      (column, index) => `${params.add(rows.map(row => row[index]))}::${column.type}[]`,
    );
    return `SELECT * FROM unnest(${arrays.join(', ')}) AS r(${columns.map(c => c.name).join(', ')})`;
  }
  const fields = columns.map((column, index) => `value ->> ${index} AS ${column.name}`);
  // The WHERE clause keeps SQLite from reading a following ON CONFLICT as a join constraint.
  return `SELECT ${fields.join(', ')} FROM json_each(${params.add(JSON.stringify(rows))}) WHERE true`;
}

const countColumns = [
  { name: 'article_id', type: 'integer' },
  { name: 'bucket_start', type: 'bigint' },
  { name: 'views', type: 'integer' },
  { name: 'unique_visitors', type: 'integer' },
] as const;

const totalColumns = [
  { name: 'article_id', type: 'integer' },
  { name: 'views', type: 'bigint' },
  { name: 'unique_visitors', type: 'bigint' },
] as const;

/**
 * The "add these counts" upsert for one rollup table. SQLite (3.24+) accepts PostgreSQL's
 * INSERT ... ON CONFLICT ... DO UPDATE with `excluded`; the rows come from rowsFrom. Keys must be
 * unique within one call (PostgreSQL refuses to update a row twice in one statement).
 */
function addCountsSql(dialect: Dialect, table: RollupTable, rows: readonly BucketCount[]) {
  const params = new SqlParams(dialect);
  const source = rowsFrom(
    dialect,
    params,
    countColumns,
    rows.map(row => [row.articleId, row.bucketStart, row.views, row.uniqueVisitors]),
  );
  const sql = `INSERT INTO ${table} (article_id, bucket_start, views, unique_visitors)
    ${source}
    ON CONFLICT (article_id, bucket_start) DO UPDATE SET
      views = ${table}.views + excluded.views,
      unique_visitors = ${table}.unique_visitors + excluded.unique_visitors`;
  return { sql, values: params.values };
}

/** Adds per-article deltas to the running totals that ALL_TIME reads. */
async function addTotals(
  runner: Queryable,
  dialect: Dialect,
  deltas: ReadonlyMap<number, { views: number; uniqueVisitors: number }>,
): Promise<void> {
  const rows = [...deltas]
    .filter(([, d]) => d.views !== 0 || d.uniqueVisitors !== 0)
    .map(([articleId, d]) => [articleId, d.views, d.uniqueVisitors]);
  for (const chunk of chunks(rows)) {
    const params = new SqlParams(dialect);
    await runner.query(
      `INSERT INTO article_view_total (article_id, views, unique_visitors)
       ${rowsFrom(dialect, params, totalColumns, chunk)}
       ON CONFLICT (article_id) DO UPDATE SET
         views = article_view_total.views + excluded.views,
         unique_visitors = article_view_total.unique_visitors + excluded.unique_visitors`,
      params.values,
    );
  }
}

function totalsOf(rows: readonly BucketCount[]) {
  const totals = new Map<number, { views: number; uniqueVisitors: number }>();
  for (const row of rows) {
    const total = totals.get(row.articleId) ?? { views: 0, uniqueVisitors: 0 };
    total.views += row.views;
    total.uniqueVisitors += row.uniqueVisitors;
    totals.set(row.articleId, total);
  }
  return totals;
}

/**
 * Adds counts to the rollups and the running totals. Call inside one transaction: the flusher,
 * the demo history and the benchmark's data generator all write through here.
 */
export async function addViewCounts(
  runner: Queryable,
  dialect: Dialect,
  rows: readonly BucketCount[],
  table: RollupTable = 'article_view_hour',
): Promise<void> {
  for (const chunk of chunks(rows)) {
    const { sql, values } = addCountsSql(dialect, table, chunk);
    await runner.query(sql, values);
  }
  await addTotals(runner, dialect, totalsOf(rows));
}

/**
 * Moves every row of `from` whose bucket starts before `before` (and at or after `since`) into
 * `to`, adding to the counts there, with `bucket` as its new bucket start (SQL over bucket_start;
 * rows that land in one bucket are summed), and deletes them from `from`. Totals do not change.
 * Call inside one transaction.
 */
async function moveCounts(
  runner: Queryable,
  dialect: Dialect,
  from: RollupTable,
  to: RollupTable,
  before: number,
  bucket: (params: SqlParams) => string = () => 'bucket_start',
  since: number | null = null,
): Promise<void> {
  const params = new SqlParams(dialect);
  const range = (p: SqlParams) =>
    `bucket_start < ${p.add(before)}${since === null ? '' : ` AND bucket_start >= ${p.add(since)}`}`;
  const where = range(params);
  const target = bucket(params);
  // The WHERE clause also keeps SQLite from reading ON CONFLICT as a join constraint. GROUP BY
  // also hands the rows over in the order of the target's key.
  await runner.query(
    `INSERT INTO ${to} (article_id, bucket_start, views, unique_visitors)
     SELECT article_id, ${target}, SUM(views), SUM(unique_visitors)
     FROM ${from} WHERE ${where}
     GROUP BY article_id, ${target}
     ON CONFLICT (article_id, bucket_start) DO UPDATE SET
       views = ${to}.views + excluded.views,
       unique_visitors = ${to}.unique_visitors + excluded.unique_visitors`,
    params.values,
  );
  const deleteParams = new SqlParams(dialect);
  await runner.query(`DELETE FROM ${from} WHERE ${range(deleteParams)}`, deleteParams.values);
}

/**
 * Moves the counts of hours that start before `before` (the current hour) from
 * article_view_recent into article_view_hour. Call inside one transaction.
 */
export function foldRecentHours(runner: Queryable, dialect: Dialect, before: number) {
  return moveCounts(runner, dialect, 'article_view_recent', 'article_view_hour', before);
}

// Days a compaction statement pair covers: its CASE has a branch per day.
const daysPerCompaction = 31;

/** A run of the site's consecutive days, [start, end): `days` are their starts. */
export interface DayBatch {
  start: number;
  end: number;
  days: number[];
}

/**
 * The site's days that hold the rows of `table` (an hourly rollup) starting before `cutoff` (a
 * midnight of the site's zone), from the oldest row's day on, a month of days a batch: the day
 * starts of a compaction's CASE (dayStartSql).
 */
export async function dayBatchesBefore(
  runner: Queryable,
  dialect: Dialect,
  table: string,
  cutoff: number,
  calendar: SiteCalendar,
): Promise<DayBatch[]> {
  const params = new SqlParams(dialect);
  const oldest = (await runner.query(
    `SELECT MIN(bucket_start) AS oldest FROM ${table} WHERE bucket_start < ${params.add(cutoff)}`,
    params.values,
  )) as { oldest: unknown }[];
  if (oldest[0]?.oldest == null) return [];
  const batches: DayBatch[] = [];
  let start = calendar.startOfDay(Number(oldest[0].oldest));
  while (start < cutoff) {
    const days: number[] = [];
    let end = start;
    while (end < cutoff && days.length < daysPerCompaction) {
      days.push(end);
      end = calendar.addDays(end, 1);
    }
    batches.push({ start, end, days });
    start = end;
  }
  return batches;
}

/**
 * Folds every hourly row that starts before `cutoff` (a midnight of the site's zone) into its day
 * of that zone and deletes it. Totals do not change. Call inside one transaction. In UTC a day is
 * bucket_start rounded down to 86,400,000; elsewhere the day starts come from the calendar (from
 * the oldest hour kept on, a month of days a statement pair), as a CASE over bucket_start.
 */
export async function compactHours(
  runner: Queryable,
  dialect: Dialect,
  cutoff: number,
  calendar: SiteCalendar,
): Promise<void> {
  if (calendar.isUtc) {
    const day = `bucket_start - (bucket_start % ${dayMs})`;
    return moveCounts(runner, dialect, 'article_view_hour', 'article_view_day', cutoff, () => day);
  }
  const batches = await dayBatchesBefore(runner, dialect, 'article_view_hour', cutoff, calendar);
  for (const { start, end, days } of batches) {
    await moveCounts(
      runner,
      dialect,
      'article_view_hour',
      'article_view_day',
      end,
      p => dayStartSql(p, 'bucket_start', days),
      start,
    );
  }
}

/**
 * Writes imported daily counts so that importing the same (article, day) again replaces what the
 * last import wrote instead of adding to it; counts the gateway itself made are kept. Call inside
 * one transaction.
 */
export async function replaceImportedDays(
  runner: Queryable,
  dialect: Dialect,
  rows: readonly BucketCount[],
): Promise<void> {
  const deltas = new Map<number, { views: number; uniqueVisitors: number }>();
  for (const chunk of chunks(rows)) {
    const read = new SqlParams(dialect);
    const previous = (await runner.query(
      `SELECT article_id, bucket_start, imported_views, imported_unique_visitors FROM article_view_day
       WHERE article_id IN ${read.list([...new Set(chunk.map(row => row.articleId))])}
         AND bucket_start IN ${read.list([...new Set(chunk.map(row => row.bucketStart))])}`,
      read.values,
    )) as Record<string, unknown>[];
    const old = new Map(
      previous.map(row => [
        `${Number(row.article_id)}:${Number(row.bucket_start)}`,
        { views: Number(row.imported_views), uniqueVisitors: Number(row.imported_unique_visitors) },
      ]),
    );
    for (const row of chunk) {
      const before = old.get(`${row.articleId}:${row.bucketStart}`) ?? {
        views: 0,
        uniqueVisitors: 0,
      };
      const delta = deltas.get(row.articleId) ?? { views: 0, uniqueVisitors: 0 };
      delta.views += row.views - before.views;
      delta.uniqueVisitors += row.uniqueVisitors - before.uniqueVisitors;
      deltas.set(row.articleId, delta);
    }
    const write = new SqlParams(dialect);
    const values = chunk
      .map(row => {
        const views = write.add(row.views);
        const uniques = write.add(row.uniqueVisitors);
        return `(${write.add(row.articleId)}, ${write.add(row.bucketStart)}, ${views}, ${uniques}, ${views}, ${uniques})`;
      })
      .join(', ');
    await runner.query(
      `INSERT INTO article_view_day
         (article_id, bucket_start, views, unique_visitors, imported_views, imported_unique_visitors)
       VALUES ${values}
       ON CONFLICT (article_id, bucket_start) DO UPDATE SET
         views = article_view_day.views - article_view_day.imported_views + excluded.imported_views,
         unique_visitors = article_view_day.unique_visitors - article_view_day.imported_unique_visitors + excluded.imported_unique_visitors,
         imported_views = excluded.imported_views,
         imported_unique_visitors = excluded.imported_unique_visitors`,
      write.values,
    );
  }
  await addTotals(runner, dialect, deltas);
}
