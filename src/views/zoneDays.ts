import type { SiteCalendar } from './siteCalendar';
import { dayMs } from './timeBuckets';
import type { SqlParams } from '../db/dialect';

/**
 * The site's days in SQL over epoch-millisecond columns. Neither database knows the zone (SQLite
 * has no time zone data), so the offsets and day starts are computed by the calendar and go to
 * SQL as parameters (cast: PostgreSQL cannot type a bare parameter in a CASE branch).
 */

const bigint = (params: SqlParams, value: number) => `CAST(${params.add(value)} AS bigint)`;

/**
 * The zone's local midnight, as a wall instant (see SiteCalendar), of the date `column` falls on,
 * for values in [from, to): one CASE branch per offset change in the range (UTC: none).
 */
export function wallDaySql(
  params: SqlParams,
  column: string,
  calendar: SiteCalendar,
  from: number,
  to: number,
): string {
  const periods = calendar.offsetPeriods(from, to);
  let offset: string;
  if (periods.length === 1) offset = bigint(params, periods[0].offset);
  else {
    const branches = periods
      .slice(1)
      .map(
        (period, index) =>
          `WHEN ${column} < ${bigint(params, period.from)} THEN ${bigint(params, periods[index].offset)}`,
      );
    offset = `CASE ${branches.join(' ')} ELSE ${bigint(params, periods[periods.length - 1].offset)} END`;
  }
  const wall = `(${column} + ${offset})`;
  return `(${wall} - (${wall} % ${dayMs}))`;
}

/**
 * The start of the zone's day that contains `column`, for values in [dayStarts[0], the end of
 * the last day): `dayStarts` are consecutive day starts (SiteCalendar.addDays), so every branch
 * is a whole day, 23, 24 or 25 hours long.
 */
export function dayStartSql(params: SqlParams, column: string, dayStarts: number[]): string {
  if (dayStarts.length === 1) return bigint(params, dayStarts[0]);
  const branches = dayStarts
    .slice(1)
    .map(
      (start, index) =>
        `WHEN ${column} < ${bigint(params, start)} THEN ${bigint(params, dayStarts[index])}`,
    );
  return `CASE ${branches.join(' ')} ELSE ${bigint(params, dayStarts[dayStarts.length - 1])} END`;
}
