import { dayMs, hourMs, startOfHour } from './timeBuckets';
import { Granularity } from '../entities/enums';

/**
 * The calendar of the site's time zone (SITE_TIME_ZONE): where its days, ISO weeks (Monday) and
 * months start, as UTC epoch milliseconds, right across daylight-saving changes (a day may last
 * 23 or 25 hours). Offsets come from Intl (the ICU time zone data of Node); the config admits
 * only zones whose offset is a whole number of hours, so every day starts on an hourly bucket.
 *
 * "Wall" instants are the zone's local date and time written as if they were UTC: the wall
 * instant of 2026-03-29T00:00 in Berlin is Date.UTC(2026, 2, 29).
 */
export class SiteCalendar {
  readonly isUtc: boolean;
  private readonly format: Intl.DateTimeFormat | null;
  // The day of the last startOfDay call: recordView asks for today's on every view.
  private cachedDay = { start: 0, end: 0 };
  private readonly offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {
    this.isUtc = timeZone === 'UTC';
    this.format = this.isUtc
      ? null
      : new Intl.DateTimeFormat('en-US', {
          timeZone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
        });
  }

  /** The zone's offset from UTC at `at`, in milliseconds (Berlin in summer: 7,200,000). */
  offsetAt(at: number): number {
    if (!this.format) return 0;
    // An Intl call costs about 5 us: offsets are kept per UTC hour where the whole hour has one.
    const hour = Math.floor(at / hourMs);
    const known = this.offsets.get(hour);
    if (known !== undefined) return known;
    const first = this.intlOffset(hour * hourMs);
    if (first !== this.intlOffset(hour * hourMs + hourMs - 1000)) return this.intlOffset(at);
    if (this.offsets.size >= maxKeptOffsets) this.offsets.clear();
    this.offsets.set(hour, first);
    return first;
  }

  private intlOffset(at: number): number {
    const format = this.format as Intl.DateTimeFormat;
    const seconds = Math.floor(at / 1000) * 1000;
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(seconds)) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const wall = Date.UTC(
      parts.year,
      parts.month - 1,
      parts.day,
      parts.hour,
      parts.minute,
      parts.second,
    );
    return wall - seconds;
  }

  /** The zone's local date and time of `at` as a wall instant. */
  wallOf(at: number): number {
    return at + this.offsetAt(at);
  }

  /** The local midnight (a wall instant) of the date `at` falls on in the zone. */
  wallDayOf(at: number): number {
    return floorDay(this.wallOf(at));
  }

  /**
   * The first instant whose local time is `wall` or later: the instant itself where the local
   * time exists once, the earlier of two where a clock set back repeats it, the end of the gap
   * where a clock set forward skips it.
   */
  fromWall(wall: number): number {
    if (!this.format) return wall;
    const candidates = [wall - this.offsetAt(wall - dayMs), wall - this.offsetAt(wall + dayMs)]
      .map(guess => wall - this.offsetAt(guess))
      .filter(at => this.wallOf(at) === wall);
    if (candidates.length > 0) return Math.min(...candidates);
    // A gap: the first instant whose local time is later than `wall` is the change itself.
    let low = wall - 2 * dayMs;
    let high = wall + 2 * dayMs;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (this.wallOf(middle) >= wall) high = middle;
      else low = middle;
    }
    return high;
  }

  /** The start of the zone's day that contains `at`. */
  startOfDay(at: number): number {
    return this.dayOf(at).start;
  }

  /** The zone's day that contains `at`: [start, end). */
  dayOf(at: number): { start: number; end: number } {
    const cached = this.cachedDay;
    if (at >= cached.start && at < cached.end) return cached;
    let day: { start: number; end: number };
    if (!this.format) {
      const start = at - (((at % dayMs) + dayMs) % dayMs);
      day = { start, end: start + dayMs };
    } else {
      const wallDay = floorDay(this.wallOf(at));
      day = { start: this.fromWall(wallDay), end: this.fromWall(wallDay + dayMs) };
    }
    this.cachedDay = day;
    return day;
  }

  /** The start of the day `days` days after (before, if negative) the day that contains `at`. */
  addDays(at: number, days: number): number {
    if (!this.format) return this.startOfDay(at) + days * dayMs;
    return this.fromWall(floorDay(this.wallOf(at)) + days * dayMs);
  }

  /** The start of the ISO week (Monday) that contains `at`. */
  startOfWeek(at: number): number {
    const wallDay = floorDay(this.wallOf(at));
    const weekday = (new Date(wallDay).getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6
    return this.fromWall(wallDay - weekday * dayMs);
  }

  /** The start of the month `months` months after (before, if negative) the one of `at`. */
  addMonths(at: number, months: number): number {
    const wall = new Date(this.wallOf(at));
    return this.fromWall(Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth() + months, 1));
  }

  startOfMonth(at: number): number {
    return this.addMonths(at, 0);
  }

  /** The start of the bucket of `granularity` that contains `at`. */
  bucketStart(at: number, granularity: Granularity): number {
    switch (granularity) {
      case Granularity.HOUR:
        return startOfHour(at);
      case Granularity.DAY:
        return this.startOfDay(at);
      case Granularity.WEEK:
        return this.startOfWeek(at);
      case Granularity.MONTH:
        return this.startOfMonth(at);
    }
  }

  /** The start of the bucket after the one starting at `start`. */
  nextBucket(start: number, granularity: Granularity): number {
    switch (granularity) {
      case Granularity.HOUR:
        return start + hourMs;
      case Granularity.DAY:
        return this.addDays(start, 1);
      case Granularity.WEEK:
        return this.addDays(start, 7);
      case Granularity.MONTH:
        return this.addMonths(start, 1);
    }
  }

  /**
   * Hours before this instant have been (or are due to be) compacted into days: the start of the
   * zone's day `retentionDays` before today's. Only whole days move, so a day is never split.
   */
  hourlyCutoff(now: number, retentionDays: number): number {
    return this.addDays(now, -retentionDays);
  }

  /**
   * The zone's offsets over [from, to): the instants where the offset changes and the offset
   * from each on, the first from `from`. One Intl call a day of the range, and a bisection per
   * change (two a year where the zone keeps summer time).
   */
  offsetPeriods(from: number, to: number): { from: number; offset: number }[] {
    const periods = [{ from, offset: this.offsetAt(from) }];
    if (!this.format) return periods;
    let before = from;
    for (let at = Math.min(from + dayMs, to); ; at = Math.min(at + dayMs, to)) {
      const offset = this.offsetAt(at);
      const last = periods[periods.length - 1];
      if (offset !== last.offset) {
        let low = before;
        let high = at;
        while (high - low > 1) {
          const middle = Math.floor((low + high) / 2);
          if (this.offsetAt(middle) === offset) high = middle;
          else low = middle;
        }
        periods.push({ from: high, offset });
      }
      before = at;
      if (at >= to) break;
    }
    return periods;
  }
}

// Hours of offsets kept (about 11 years); all are dropped when full.
const maxKeptOffsets = 100_000;

function floorDay(wall: number): number {
  return wall - (((wall % dayMs) + dayMs) % dayMs);
}

const calendars = new Map<string, SiteCalendar>();

/** The calendar of a zone the config has checked (SITE_TIME_ZONE), built once per zone. */
export function calendarOf(timeZone: string): SiteCalendar {
  let calendar = calendars.get(timeZone);
  if (!calendar) {
    calendar = new SiteCalendar(timeZone);
    calendars.set(timeZone, calendar);
  }
  return calendar;
}
