import type { DataSource } from 'typeorm';
import type { SiteCalendar } from './siteCalendar';
import { compactDetails, detailRollups } from './viewDetailRollups';
import { compactHours, type Queryable } from './viewRollups';
import { type Dialect, dialectOf, SqlParams } from '../db/dialect';
import { writeTransaction } from '../db/writeTransaction';

export interface RecutReport {
  /** Distinct day starts that were not midnights of the site's zone, now moved to one. */
  daysMoved: number;
  /** Day rows (article and day) moved. */
  rowsMoved: number;
  /** Day rows of the sources and engagement rollups moved (article, day and source, host, campaign). */
  detailRowsMoved: number;
}

/** A daily table, the key beside bucket_start and the counts a move adds up. */
interface DayTable {
  table: string;
  key: readonly string[];
  counts: readonly string[];
}

const viewDays: DayTable = {
  table: 'article_view_day',
  key: ['article_id'],
  counts: ['views', 'unique_visitors', 'imported_views', 'imported_unique_visitors'],
};

// The sources' and engagement's days follow the views' (their breakdown sums to a day's views).
const detailDays: DayTable[] = detailRollups.map(({ day, key, counts }) => ({
  table: day,
  key,
  counts,
}));

// Source days a statement pair moves: its CASE has a branch per day.
const daysPerStatement = 200;

/**
 * After SITE_TIME_ZONE changed (README "Analytics jobs"): in one transaction, compacts the hours
 * older than the hourly retention into days of the site's zone (what the flusher does), and
 * moves each daily row that does not start at a midnight of the zone (it was cut in `cutIn`,
 * UTC before the setting existed) to the midnight of the same date in the zone, adding to a row
 * already there. Its counts stay those of the other zone's day: hours compacted are gone, so
 * only the date is put right. The sources and engagement rollups are compacted and moved alike
 * (a day moved onto one already there may hold up to twice SOURCE_MAX_KEYS_PER_DAY hosts).
 * Totals do not change; running it again changes nothing.
 */
export async function recutDays(
  db: DataSource,
  calendar: SiteCalendar,
  cutIn: SiteCalendar,
  now: number,
  hourlyRetentionDays: number,
): Promise<RecutReport> {
  const dialect = dialectOf(db);
  return writeTransaction(db, async manager => {
    const cutoff = calendar.hourlyCutoff(now, hourlyRetentionDays);
    await compactHours(manager, dialect, cutoff, calendar);
    await compactDetails(manager, dialect, cutoff, calendar);
    const views = await recutTable(manager, dialect, viewDays, calendar, cutIn);
    let detailRowsMoved = 0;
    for (const table of detailDays) {
      detailRowsMoved += (await recutTable(manager, dialect, table, calendar, cutIn)).rowsMoved;
    }
    return { ...views, detailRowsMoved };
  });
}

/** Moves the rows of one daily table that do not start at a midnight of `calendar`'s zone. */
async function recutTable(
  runner: Queryable,
  dialect: Dialect,
  table: DayTable,
  calendar: SiteCalendar,
  cutIn: SiteCalendar,
): Promise<{ daysMoved: number; rowsMoved: number }> {
  const starts = (await runner.query(
    `SELECT bucket_start, COUNT(*) AS rows FROM ${table.table} GROUP BY bucket_start`,
  )) as { bucket_start: unknown; rows: unknown }[];
  const moves = starts
    .map(row => ({ from: Number(row.bucket_start), rows: Number(row.rows) }))
    .filter(row => calendar.startOfDay(row.from) !== row.from)
    .map(row => ({ ...row, to: calendar.fromWall(cutIn.wallDayOf(row.from)) }));
  for (let index = 0; index < moves.length; index += daysPerStatement) {
    await moveDays(runner, dialect, table, moves.slice(index, index + daysPerStatement));
  }
  return { daysMoved: moves.length, rowsMoved: moves.reduce((sum, move) => sum + move.rows, 0) };
}

/** Moves the rows of each `from` day to its `to` day (a zone midnight, never itself a `from`). */
async function moveDays(
  runner: Queryable,
  dialect: Dialect,
  { table, key, counts }: DayTable,
  moves: readonly { from: number; to: number }[],
): Promise<void> {
  const params = new SqlParams(dialect);
  const sources = params.list(moves.map(move => move.from));
  const target = `CASE bucket_start ${moves
    .map(move => `WHEN ${params.add(move.from)} THEN CAST(${params.add(move.to)} AS bigint)`)
    .join(' ')} END`;
  // The WHERE clause also keeps SQLite from reading ON CONFLICT as a join constraint.
  await runner.query(
    `INSERT INTO ${table} (${key.join(', ')}, bucket_start, ${counts.join(', ')})
     SELECT ${key.join(', ')}, ${target}, ${counts.map(c => `SUM(${c})`).join(', ')}
     FROM ${table} WHERE bucket_start IN ${sources}
     GROUP BY ${key.join(', ')}, ${target}
     ON CONFLICT (${['article_id', 'bucket_start', ...key.slice(1)].join(', ')}) DO UPDATE SET
       ${counts.map(c => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`,
    params.values,
  );
  const remove = new SqlParams(dialect);
  await runner.query(
    `DELETE FROM ${table} WHERE bucket_start IN ${remove.list(moves.map(move => move.from))}`,
    remove.values,
  );
}
