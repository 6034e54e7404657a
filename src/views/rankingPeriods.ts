import type { SiteCalendar } from './siteCalendar';
import { dayMs, hourMs, startOfHour } from './timeBuckets';
import { ViewWindow } from '../entities/enums';
import { BadUserInputError } from '../errors/BadUserInputError';

/** A custom period as a client asks for it: mostRead(range:), Article.viewCount(range:). */
export interface ViewRange {
  from: Date;
  to: Date;
}

/**
 * The buckets a ranking sums: those that start in [start, end), epoch ms on whole hours. The
 * current hour's bucket is in a period that ends now, so `end` may be up to an hour ahead.
 */
export interface Period {
  start: number;
  end: number;
}

/** A custom range spans at most this long (a year, a leap day included). */
export const maxRangeDays = 366;

const rollingMs: Partial<Record<ViewWindow, number>> = {
  [ViewWindow.LAST_24_HOURS]: dayMs,
  [ViewWindow.LAST_7_DAYS]: 7 * dayMs,
  [ViewWindow.LAST_30_DAYS]: 30 * dayMs,
};

/** Windows whose period is over: their counts no longer grow (late flushes aside). */
export const closedWindows: ReadonlySet<ViewWindow> = new Set([
  ViewWindow.YESTERDAY,
  ViewWindow.LAST_WEEK,
  ViewWindow.LAST_MONTH,
]);

const ceilHour = (at: number) => startOfHour(at + hourMs - 1);

/**
 * Checks a custom range and widens it to whole hours: `from` before `to`, at most maxRangeDays,
 * `to` no later than the end of the current hour (a later one could only add empty hours, and a
 * client clock a little ahead still passes). Each failure is BAD_USER_INPUT with extensions.field.
 */
export function customPeriod(range: ViewRange, now: Date, field = 'range'): Period {
  const from = range.from.getTime();
  const to = range.to.getTime();
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
    throw new BadUserInputError(
      `${field}.to must be after ${field}.from, got from ${range.from.toISOString()} and to ${range.to.toISOString()}.`,
      `${field}.to`,
    );
  }
  if (to - from > maxRangeDays * dayMs) {
    throw new BadUserInputError(
      `${field} may span at most ${maxRangeDays} days, got ${Math.ceil((to - from) / dayMs)} days from ${range.from.toISOString()}; ask for longer periods in several ranges or use viewStats.`,
      `${field}.to`,
    );
  }
  const latest = startOfHour(now.getTime()) + hourMs;
  if (to > latest) {
    throw new BadUserInputError(
      `${field}.to must not be in the future (at most ${new Date(latest).toISOString()}, the end of the current hour), got ${range.to.toISOString()}.`,
      `${field}.to`,
    );
  }
  return { start: startOfHour(from), end: ceilHour(to) };
}

/**
 * The period of a window at `now` (null for ALL_TIME: the running totals). A rolling window holds
 * the buckets that start after now minus its length (README "Counting views"); a calendar window
 * the buckets of its day, ISO week or month in the site's zone, the running ones up to the
 * current hour included; CUSTOM the checked range.
 */
export function periodOf(
  window: ViewWindow,
  now: number,
  calendar: SiteCalendar,
  custom: Period | null,
): Period | null {
  const hourEnd = startOfHour(now) + hourMs;
  const rolling = rollingMs[window];
  if (rolling !== undefined) return { start: startOfHour(now - rolling) + hourMs, end: hourEnd };
  switch (window) {
    case ViewWindow.ALL_TIME:
      return null;
    case ViewWindow.CUSTOM:
      return custom;
    case ViewWindow.TODAY:
      return { start: calendar.startOfDay(now), end: hourEnd };
    case ViewWindow.YESTERDAY:
      return { start: calendar.addDays(now, -1), end: calendar.startOfDay(now) };
    case ViewWindow.THIS_WEEK:
      return { start: calendar.startOfWeek(now), end: hourEnd };
    case ViewWindow.LAST_WEEK: {
      const week = calendar.startOfWeek(now);
      return { start: calendar.addDays(week, -7), end: week };
    }
    case ViewWindow.THIS_MONTH:
      return { start: calendar.startOfMonth(now), end: hourEnd };
    case ViewWindow.LAST_MONTH:
      return { start: calendar.addMonths(now, -1), end: calendar.startOfMonth(now) };
    default:
      return null;
  }
}

/**
 * The period before, for the movement of a ranking (previousRank, viewsChange): a rolling window
 * or custom range the same length just before; a calendar window the day, week or month before,
 * and for a running one (TODAY, THIS_WEEK, THIS_MONTH) that one up to the same local time
 * (where that date does not exist, as on February 30, all of it).
 */
export function previousPeriodOf(
  window: ViewWindow,
  period: Period,
  calendar: SiteCalendar,
): Period {
  // The local date and time `at` written as UTC, moved back by whole days or months.
  const back = (at: number, days: number, months: number) => {
    const wall = new Date(calendar.wallOf(at) - days * dayMs);
    wall.setUTCMonth(wall.getUTCMonth() - months);
    return calendar.fromWall(wall.getTime());
  };
  let start: number;
  let end: number;
  switch (window) {
    case ViewWindow.TODAY:
    case ViewWindow.YESTERDAY:
      start = calendar.addDays(period.start, -1);
      end = back(period.end, 1, 0);
      break;
    case ViewWindow.THIS_WEEK:
    case ViewWindow.LAST_WEEK:
      start = calendar.addDays(period.start, -7);
      end = back(period.end, 7, 0);
      break;
    case ViewWindow.THIS_MONTH:
    case ViewWindow.LAST_MONTH:
      start = calendar.addMonths(period.start, -1);
      end = back(period.end, 0, 1);
      break;
    default:
      return { start: period.start - (period.end - period.start), end: period.start };
  }
  // A closed period's end is the next one's start; a running one stops where this one stands.
  return { start, end: closedWindows.has(window) ? period.start : Math.min(end, period.start) };
}

/**
 * When the period of a calendar window moves on (the next midnight, Monday or 1st of the
 * site's zone), or null for the others: a cached answer must not outlive it.
 */
export function periodMovesAt(
  window: ViewWindow,
  now: number,
  calendar: SiteCalendar,
): number | null {
  switch (window) {
    case ViewWindow.TODAY:
    case ViewWindow.YESTERDAY:
      return calendar.addDays(now, 1);
    case ViewWindow.THIS_WEEK:
    case ViewWindow.LAST_WEEK:
      return calendar.addDays(calendar.startOfWeek(now), 7);
    case ViewWindow.THIS_MONTH:
    case ViewWindow.LAST_MONTH:
      return calendar.addMonths(now, 1);
    default:
      return null;
  }
}

/**
 * The window and custom period a ranking or view count asks for: with `range`, CUSTOM (window
 * left out, its default or CUSTOM); without, the window (CUSTOM then is refused). Every failure
 * is BAD_USER_INPUT naming the argument in extensions.field.
 */
export function requestedWindow(
  window: ViewWindow | null,
  range: ViewRange | null,
  now: Date,
  defaultWindow: ViewWindow,
): { window: ViewWindow; custom: Period | null } {
  if (range) {
    if (window !== null && window !== ViewWindow.CUSTOM && window !== defaultWindow) {
      throw new BadUserInputError(
        `window must be CUSTOM or left out where a range is given, got ${window}.`,
        'window',
      );
    }
    return { window: ViewWindow.CUSTOM, custom: customPeriod(range, now) };
  }
  const effective = window ?? defaultWindow;
  if (effective === ViewWindow.CUSTOM) {
    throw new BadUserInputError('window CUSTOM needs range: { from, to }.', 'range');
  }
  return { window: effective, custom: null };
}
