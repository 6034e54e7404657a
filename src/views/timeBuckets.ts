import { Granularity } from '../entities/enums';

/** UTC bucket arithmetic on epoch milliseconds; every view bucket is UTC. */
export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

export const startOfHour = (at: number): number => at - (((at % hourMs) + hourMs) % hourMs);
export const startOfDay = (at: number): number => at - (((at % dayMs) + dayMs) % dayMs);

/** Weeks start on Monday (ISO 8601); 1970-01-01 was a Thursday. */
export function startOfWeek(at: number): number {
  const day = startOfDay(at);
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6
  return day - weekday * dayMs;
}

export function startOfMonth(at: number): number {
  const date = new Date(at);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** The start of the bucket of `granularity` that contains `at`. */
export function bucketStart(at: number, granularity: Granularity): number {
  switch (granularity) {
    case Granularity.HOUR:
      return startOfHour(at);
    case Granularity.DAY:
      return startOfDay(at);
    case Granularity.WEEK:
      return startOfWeek(at);
    case Granularity.MONTH:
      return startOfMonth(at);
  }
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket(start: number, granularity: Granularity): number {
  switch (granularity) {
    case Granularity.HOUR:
      return start + hourMs;
    case Granularity.DAY:
      return start + dayMs;
    case Granularity.WEEK:
      return start + 7 * dayMs;
    case Granularity.MONTH: {
      const date = new Date(start);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    }
  }
}

/**
 * Hours before this instant have been (or are due to be) compacted into days: the start of the
 * UTC day `retentionDays` before now. Only whole days move, so a day is never split.
 */
export function hourlyCutoff(now: number, retentionDays: number): number {
  return startOfDay(now) - retentionDays * dayMs;
}
