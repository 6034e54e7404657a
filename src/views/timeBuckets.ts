/**
 * UTC bucket arithmetic on epoch milliseconds: hourly buckets are whole UTC hours. The site's
 * days, weeks and months (SITE_TIME_ZONE) come from its calendar (siteCalendar.ts).
 */
export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

export const startOfHour = (at: number): number => at - (((at % hourMs) + hourMs) % hourMs);
/** The UTC day; the site's day is calendarOf(SITE_TIME_ZONE).startOfDay. */
export const startOfDay = (at: number): number => at - (((at % dayMs) + dayMs) % dayMs);
