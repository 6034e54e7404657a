import type { DataSource } from 'typeorm';
import type { SiteCalendar } from './siteCalendar';
import { compactHours, type Queryable } from './viewRollups';
import { type Dialect, dialectOf, SqlParams } from '../db/dialect';
import { writeTransaction } from '../db/writeTransaction';

export interface RecutReport {
  /** Distinct day starts that were not midnights of the site's zone, now moved to one. */
  daysMoved: number;
  /** Day rows (article and day) moved. */
  rowsMoved: number;
}

// Source days a statement pair moves: its CASE has a branch per day.
const daysPerStatement = 200;

/**
 * After SITE_TIME_ZONE changed (README "Analytics jobs"): in one transaction, compacts the hours
 * older than the hourly retention into days of the site's zone (what the flusher does), and
 * moves each daily row that does not start at a midnight of the zone (it was cut in `cutIn`,
 * UTC before the setting existed) to the midnight of the same date in the zone, adding to a row
 * already there. Its counts stay those of the other zone's day: hours compacted are gone, so
 * only the date is put right. Totals do not change; running it again changes nothing.
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
    await compactHours(manager, dialect, calendar.hourlyCutoff(now, hourlyRetentionDays), calendar);
    const starts = (await manager.query(
      'SELECT bucket_start, COUNT(*) AS rows FROM article_view_day GROUP BY bucket_start',
    )) as { bucket_start: unknown; rows: unknown }[];
    const moves = starts
      .map(row => ({ from: Number(row.bucket_start), rows: Number(row.rows) }))
      .filter(row => calendar.startOfDay(row.from) !== row.from)
      .map(row => ({ ...row, to: calendar.fromWall(cutIn.wallDayOf(row.from)) }));
    for (let index = 0; index < moves.length; index += daysPerStatement) {
      await moveDays(manager, dialect, moves.slice(index, index + daysPerStatement));
    }
    return { daysMoved: moves.length, rowsMoved: moves.reduce((sum, move) => sum + move.rows, 0) };
  });
}

/** Moves the rows of each `from` day to its `to` day (a zone midnight, never itself a `from`). */
async function moveDays(
  runner: Queryable,
  dialect: Dialect,
  moves: readonly { from: number; to: number }[],
): Promise<void> {
  const params = new SqlParams(dialect);
  const sources = params.list(moves.map(move => move.from));
  const target = `CASE bucket_start ${moves
    .map(move => `WHEN ${params.add(move.from)} THEN CAST(${params.add(move.to)} AS bigint)`)
    .join(' ')} END`;
  // The WHERE clause also keeps SQLite from reading ON CONFLICT as a join constraint.
  await runner.query(
    `INSERT INTO article_view_day
       (article_id, bucket_start, views, unique_visitors, imported_views, imported_unique_visitors)
     SELECT article_id, ${target}, SUM(views), SUM(unique_visitors), SUM(imported_views),
       SUM(imported_unique_visitors)
     FROM article_view_day WHERE bucket_start IN ${sources}
     GROUP BY article_id, ${target}
     ON CONFLICT (article_id, bucket_start) DO UPDATE SET
       views = article_view_day.views + excluded.views,
       unique_visitors = article_view_day.unique_visitors + excluded.unique_visitors,
       imported_views = article_view_day.imported_views + excluded.imported_views,
       imported_unique_visitors = article_view_day.imported_unique_visitors + excluded.imported_unique_visitors`,
    params.values,
  );
  const remove = new SqlParams(dialect);
  await runner.query(
    `DELETE FROM article_view_day WHERE bucket_start IN ${remove.list(moves.map(move => move.from))}`,
    remove.values,
  );
}
