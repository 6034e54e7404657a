import type { DataSource } from 'typeorm';
import { calendarOf, type SiteCalendar } from './siteCalendar';
import { type BucketCount, replaceImportedDays } from './viewRollups';
import { dialectOf, SqlParams } from '../db/dialect';
import { writeTransaction } from '../db/writeTransaction';

export interface ViewImportProblem {
  line: number;
  message: string;
}

export interface ViewImportReport {
  rows: number;
  views: number;
  problems: ViewImportProblem[];
}

// Counts above this are not page views of one article in one day but a broken export.
const maxDailyViews = 1_000_000_000;

/** One parsed line of a view-count file. */
interface ParsedRow {
  line: number;
  slug: string;
  day: number;
  views: number;
  uniques: number;
}

/**
 * Imports historical daily counts (slug,date,views[,unique_visitors], an optional header line)
 * from another system. All or nothing: any bad row (unknown slug, bad date, bad number, a
 * (slug, date) twice) is reported with its line number and nothing is written. Dates are days of
 * `calendar` (the CLI passes SITE_TIME_ZONE's). Idempotent per
 * (slug, date): importing a row again replaces what the last import wrote for it.
 */
export async function importViewCounts(
  db: DataSource,
  text: string,
  calendar: SiteCalendar = calendarOf('UTC'),
): Promise<ViewImportReport> {
  const { rows: parsed, problems } = parseViewCounts(text);
  const ids = await articleIdsBySlug(db, [...new Set(parsed.map(row => row.slug))]);
  const counts: BucketCount[] = [];
  for (const row of parsed) {
    const articleId = ids.get(row.slug);
    if (articleId === undefined) {
      problems.push({
        line: row.line,
        message: `no article with slug ${JSON.stringify(row.slug)}.`,
      });
      continue;
    }
    // A date is a day of the site (SITE_TIME_ZONE): its row starts at that zone's midnight.
    counts.push({
      articleId,
      bucketStart: calendar.fromWall(row.day),
      views: row.views,
      uniqueVisitors: row.uniques,
    });
  }
  problems.sort((a, b) => a.line - b.line);
  if (problems.length === 0 && counts.length > 0) {
    await writeTransaction(db, manager => replaceImportedDays(manager, dialectOf(db), counts));
  }
  return {
    rows: problems.length === 0 ? counts.length : 0,
    views: problems.length === 0 ? counts.reduce((sum, row) => sum + row.views, 0) : 0,
    problems,
  };
}

/** Every line of a file parsed, each (slug, date) once; the problems of the lines that are not. */
function parseViewCounts(text: string): { rows: ParsedRow[]; problems: ViewImportProblem[] } {
  const problems: ViewImportProblem[] = [];
  const rows: ParsedRow[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === '' || (line === 1 && /^slug\s*,/i.test(content))) return;
    const row = parseViewCountLine(content, line);
    if ('message' in row) {
      problems.push(row);
      return;
    }
    const key = `${row.slug}|${row.day}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const date = new Date(row.day).toISOString().slice(0, 10);
      problems.push({
        line,
        message: `${row.slug} on ${date} appears already on line ${earlier}.`,
      });
      return;
    }
    seen.set(key, line);
    rows.push(row);
  });
  return { rows, problems };
}

/** One line (slug,date,views[,unique_visitors]) as a row, or the first problem found in it. */
function parseViewCountLine(content: string, line: number): ParsedRow | ViewImportProblem {
  const fields = content.split(',').map(field => field.trim().replace(/^"(.*)"$/, '$1'));
  if (fields.length < 3 || fields.length > 4) {
    return {
      line,
      message: `expected slug,date,views[,unique_visitors], got ${fields.length} fields.`,
    };
  }
  const [slug, date, viewsText, uniquesText] = fields;
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) {
    return { line, message: `expected a slug, got ${JSON.stringify(slug)}.` };
  }
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
  if (Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== date) {
    return { line, message: `expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}.` };
  }
  const views = wholeCount(viewsText);
  if (views === null) return countProblem(line, 'views', viewsText);
  if (uniquesText === undefined || uniquesText === '') {
    return { line, slug, day, views, uniques: views };
  }
  const uniques = wholeCount(uniquesText);
  if (uniques === null) return countProblem(line, 'unique_visitors', uniquesText);
  if (uniques > views) {
    return { line, message: `unique_visitors (${uniques}) cannot exceed views (${views}).` };
  }
  return { line, slug, day, views, uniques };
}

/** A whole number from 0 to maxDailyViews, or null. */
function wholeCount(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) > maxDailyViews) return null;
  return Number(value);
}

function countProblem(line: number, name: string, value: string | undefined): ViewImportProblem {
  return {
    line,
    message: `expected ${name} as a whole number from 0 to ${maxDailyViews}, got ${JSON.stringify(value ?? '')}.`,
  };
}

/** The internal ids of the articles with these slugs, 500 slugs a statement. */
async function articleIdsBySlug(db: DataSource, slugs: string[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let index = 0; index < slugs.length; index += 500) {
    const params = new SqlParams(dialectOf(db));
    const rows: { internal_id: number; slug: string }[] = await db.query(
      `SELECT internal_id, slug FROM article WHERE slug IN ${params.list(slugs.slice(index, index + 500))}`,
      params.values,
    );
    for (const row of rows) ids.set(String(row.slug), Number(row.internal_id));
  }
  return ids;
}
