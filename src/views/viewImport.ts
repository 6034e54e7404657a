import type { DataSource } from 'typeorm';
import { dialectOf, SqlParams } from '../db/dialect';
import { type BucketCount, replaceImportedDays } from './viewRollups';
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

/**
 * Imports historical daily counts (slug,date,views[,unique_visitors], an optional header line)
 * from another system. All or nothing: any bad row (unknown slug, bad date, bad number, a
 * (slug, date) twice) is reported with its line number and nothing is written. Idempotent per
 * (slug, date): importing a row again replaces what the last import wrote for it.
 */
export async function importViewCounts(db: DataSource, text: string): Promise<ViewImportReport> {
  const problems: ViewImportProblem[] = [];
  const parsed: { line: number; slug: string; day: number; views: number; uniques: number }[] = [];
  const seen = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === '' || (line === 1 && /^slug\s*,/i.test(content))) return;
    const fields = content.split(',').map(field => field.trim().replace(/^"(.*)"$/, '$1'));
    if (fields.length < 3 || fields.length > 4) {
      problems.push({
        line,
        message: `expected slug,date,views[,unique_visitors], got ${fields.length} fields.`,
      });
      return;
    }
    const [slug, date, viewsText, uniquesText] = fields;
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) {
      problems.push({ line, message: `expected a slug, got ${JSON.stringify(slug)}.` });
      return;
    }
    const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
    if (Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== date) {
      problems.push({
        line,
        message: `expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}.`,
      });
      return;
    }
    const count = (value: string | undefined, name: string): number | null => {
      if (value === undefined || !/^\d+$/.test(value) || Number(value) > maxDailyViews) {
        problems.push({
          line,
          message: `expected ${name} as a whole number from 0 to ${maxDailyViews}, got ${JSON.stringify(value ?? '')}.`,
        });
        return null;
      }
      return Number(value);
    };
    const views = count(viewsText, 'views');
    if (views === null) return;
    let uniques = views;
    if (uniquesText !== undefined && uniquesText !== '') {
      const value = count(uniquesText, 'unique_visitors');
      if (value === null) return;
      if (value > views) {
        problems.push({
          line,
          message: `unique_visitors (${value}) cannot exceed views (${views}).`,
        });
        return;
      }
      uniques = value;
    }
    const key = `${slug}|${day}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push({ line, message: `${slug} on ${date} appears already on line ${earlier}.` });
      return;
    }
    seen.set(key, line);
    parsed.push({ line, slug, day, views, uniques });
  });

  const slugs = [...new Set(parsed.map(row => row.slug))];
  const ids = new Map<string, number>();
  for (let index = 0; index < slugs.length; index += 500) {
    const params = new SqlParams(dialectOf(db));
    const rows: { internal_id: number; slug: string }[] = await db.query(
      `SELECT internal_id, slug FROM article WHERE slug IN ${params.list(slugs.slice(index, index + 500))}`,
      params.values,
    );
    for (const row of rows) ids.set(String(row.slug), Number(row.internal_id));
  }
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
    counts.push({ articleId, bucketStart: row.day, views: row.views, uniqueVisitors: row.uniques });
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
