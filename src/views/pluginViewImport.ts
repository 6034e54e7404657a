import fs from 'node:fs';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { parse } from 'csv-parse';
import type { DataSource } from 'typeorm';
import { SqlDumpReader, type SqlValue } from './sqlDumpRows';
import type { ViewImportProblem } from './viewImport';
import { type BucketCount, replaceImportedDays } from './viewRollups';
import { dialectOf, SqlParams } from '../db/dialect';
import { writeTransaction } from '../db/writeTransaction';

/** The WordPress plugins whose daily counts import: WordPress Popular Posts and Top 10. */
export type ViewPlugin = 'wpp' | 'top10';

/**
 * Each plugin's table of daily counts: the name it ends with (after the WordPress table prefix,
 * wp_ or wp_2_), its columns in the order the plugin creates them (what a dump without a column
 * list or a CSV without a header gives), and which column holds what. WordPress Popular Posts
 * 5 and 6 (src/Activation/Activator.php): wp_popularpostssummary (ID, postid, pageviews,
 * view_date, view_datetime; last_viewed in 3.x and 4.x, same place). Top 10 (includes/admin/
 * class-activator.php, Database::create_daily_table_sql): wp_top_ten_daily (postnumber,
 * cntaccess, dp_date, blog_id), one row per post and hour, dp_date the hour.
 */
const tables: Record<
  ViewPlugin,
  {
    suffix: string;
    order: string[];
    post: string;
    views: string;
    day: string[];
    blog: string | null;
  }
> = {
  wpp: {
    suffix: 'popularpostssummary',
    order: ['id', 'postid', 'pageviews', 'view_date', 'view_datetime'],
    post: 'postid',
    views: 'pageviews',
    day: ['view_date', 'view_datetime', 'last_viewed'],
    blog: null,
  },
  top10: {
    suffix: 'top_ten_daily',
    order: ['postnumber', 'cntaccess', 'dp_date', 'blog_id'],
    post: 'postnumber',
    views: 'cntaccess',
    day: ['dp_date'],
    blog: 'blog_id',
  },
};

export interface PluginViewImportOptions {
  plugin: ViewPlugin;
  /** The WordPress site (article_origin.site) the post ids belong to; needed with several. */
  site?: string | null;
  /** Top 10 on a multisite network: the blog whose rows to take; needed with several. */
  blogId?: string | null;
}

/** A post id of the file that no imported article has: its first line, rows and views. */
export interface UnknownPost {
  postId: string;
  line: number;
  rows: number;
  views: number;
}

export interface PluginViewImportReport {
  /** Rows read from the file (tuples or CSV records of the plugin's table). */
  rows: number;
  /** (article, day) counts written. */
  days: number;
  /** Views written, summed over every day. */
  views: number;
  /** The WordPress site the ids were matched on. */
  site: string | null;
  /** Post ids no imported article has (a page, a deleted post): not written, reported. */
  unknown: UnknownPost[];
  /** Rows that cannot be read (bad id, date or number): any of them and nothing is written. */
  problems: ViewImportProblem[];
}

// As the slug import (viewImport.ts): above this a count is a broken export, not a day's views.
const maxDailyViews = 1_000_000_000;
const maxProblems = 100;

/** One row of the plugin's table, read. */
interface PluginRow {
  line: number;
  postId: string;
  day: number;
  views: number;
  blogId: string | null;
}

/** The file's lines, gunzipped where it ends with .gz. */
function openText(file: string): Readable {
  const raw = fs.createReadStream(file);
  return file.endsWith('.gz') ? raw.pipe(zlib.createGunzip()) : raw;
}

/** Whether the file is a SQL dump (by its name, else by its first statement-like line). */
async function isSqlDump(file: string): Promise<boolean> {
  if (/\.sql(\.gz)?$/i.test(file)) return true;
  if (/\.(csv|tsv|txt)(\.gz)?$/i.test(file)) return false;
  const lines = readline.createInterface({ input: openText(file), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const text = line.trim();
      if (text === '') continue;
      return /^(--|\/\*|#|INSERT\b|REPLACE\b|CREATE\b|DROP\b|SET\b|LOCK\b)/i.test(text);
    }
    return false;
  } finally {
    lines.close();
  }
}

/** The tuples of the plugin's table in a SQL dump, as column -> value records. */
async function* sqlRecords(
  file: string,
  plugin: ViewPlugin,
  problems: ViewImportProblem[],
): AsyncGenerator<{ line: number; record: Record<string, SqlValue> }> {
  const { suffix, order } = tables[plugin];
  const seenTables = new Set<string>();
  const reader = new SqlDumpReader(table => table.toLowerCase().endsWith(suffix));
  const lines = readline.createInterface({ input: openText(file), crlfDelay: Infinity });
  let number = 0;
  for await (const text of lines) {
    number += 1;
    for (const row of reader.feed(text, number)) {
      seenTables.add(row.table);
      if (seenTables.size > 1) {
        problems.push({
          line: row.line,
          message: `the dump holds more than one ${suffix} table (${[...seenTables].join(', ')}); export one site's table.`,
        });
        return;
      }
      const columns = row.columns ?? order;
      if (columns.length !== row.values.length) {
        problems.push({
          line: row.line,
          message: `expected ${columns.length} values (${columns.join(', ')}), got ${row.values.length}.`,
        });
        continue;
      }
      yield {
        line: row.line,
        record: Object.fromEntries(columns.map((name, index) => [name, row.values[index]])),
      };
    }
  }
  if (reader.unfinished) {
    problems.push({
      line: number,
      message: 'the dump ends inside an INSERT statement (cut off?).',
    });
  }
}

/**
 * The records of a CSV or tab-separated export (phpMyAdmin, mysqldump --tab, wp db query): a
 * header of column names where the first line has one, else the table's column order.
 */
async function* csvRecords(
  file: string,
  plugin: ViewPlugin,
): AsyncGenerator<{ line: number; record: Record<string, SqlValue> }> {
  const { order, post } = tables[plugin];
  const parser = openText(file).pipe(
    parse({
      delimiter: [',', ';', '\t'],
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }),
  );
  let columns: string[] | null = null;
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    if (columns === null) {
      const names = record.map(name =>
        name
          .trim()
          .replace(/^[`"]|[`"]$/g, '')
          .toLowerCase(),
      );
      if (names.includes(post)) {
        columns = names;
        continue;
      }
      columns = order;
    }
    const names = columns;
    yield {
      line: info.lines,
      record: Object.fromEntries(
        names.map((name, index) => {
          const value = record[index];
          // mysqldump --tab writes NULL as \N.
          return [name, value === undefined || value === '\\N' ? null : value];
        }),
      ),
    };
  }
}

/** A record as a row of the plugin's table, or the problem found in it. */
function rowOf(
  plugin: ViewPlugin,
  line: number,
  record: Record<string, SqlValue>,
): PluginRow | ViewImportProblem {
  const table = tables[plugin];
  const postId = record[table.post];
  if (postId === undefined) {
    return {
      line,
      message: `no ${table.post} column (columns: ${Object.keys(record).join(', ')}).`,
    };
  }
  if (postId === null || !/^\d{1,19}$/.test(postId) || /^0+$/.test(postId)) {
    return { line, message: `expected a post id in ${table.post}, got ${JSON.stringify(postId)}.` };
  }
  const dateText = table.day.map(name => record[name]).find(value => value != null) ?? null;
  const date = dateText?.slice(0, 10) ?? '';
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
  if (Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== date) {
    return {
      line,
      message: `expected a date (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS) in ${table.day[0]}, got ${JSON.stringify(dateText)}.`,
    };
  }
  const viewsText = record[table.views];
  if (viewsText == null || !/^\d{1,10}$/.test(viewsText) || Number(viewsText) > maxDailyViews) {
    return {
      line,
      message: `expected ${table.views} as a whole number from 0 to ${maxDailyViews}, got ${JSON.stringify(viewsText ?? null)}.`,
    };
  }
  const blogId = table.blog === null ? null : (record[table.blog] ?? '1');
  return { line, postId, day, views: Number(viewsText), blogId };
}

/** The WordPress site the post ids belong to: the one imported, or the one asked for. */
async function wordpressSite(
  db: DataSource,
  asked: string | null,
): Promise<{ site: string } | { problem: string }> {
  const rows: { site: string }[] = await db.query(
    `SELECT DISTINCT site FROM article_origin WHERE source = 'wordpress' ORDER BY site`,
  );
  const sites = rows.map(row => String(row.site));
  if (sites.length === 0) {
    return {
      problem:
        'no WordPress posts are imported yet: run npm run content:import -- --from wordpress <export.xml> first.',
    };
  }
  if (asked != null) {
    return sites.includes(asked)
      ? { site: asked }
      : { problem: `--site ${asked} is not an imported WordPress site (${sites.join(', ')}).` };
  }
  if (sites.length > 1) {
    return {
      problem: `posts of several WordPress sites are imported (${sites.join(', ')}): name one with --site.`,
    };
  }
  return { site: sites[0] };
}

/** The articles that the WordPress posts with these ids became, 500 ids a statement. */
async function articleIdsOfPosts(
  db: DataSource,
  site: string,
  postIds: string[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let index = 0; index < postIds.length; index += 500) {
    const params = new SqlParams(dialectOf(db));
    const rows: { source_id: string; article_id: number }[] = await db.query(
      `SELECT source_id, article_id FROM article_origin
        WHERE source = 'wordpress' AND site = ${params.add(site)}
          AND source_id IN ${params.list(postIds.slice(index, index + 500))}`,
      params.values,
    );
    for (const row of rows) ids.set(String(row.source_id), Number(row.article_id));
  }
  return ids;
}

/**
 * Imports a WordPress plugin's daily counts (WordPress Popular Posts' summary table, Top 10's
 * daily table) from a CSV or SQL dump, read line by line: the counts summed per (post, day) (Top
 * 10 counts per hour), the post ids matched to the articles the WordPress import made
 * (article_origin). A post id no article has (a page, a deleted post) is reported and skipped;
 * a row that cannot be read is a problem, and with any problem nothing is written. Idempotent
 * per (article, day) like the slug import (replaceImportedDays): importing again replaces what
 * the last import wrote, and the gateway's own counts stay beside it.
 */
export async function importPluginViews(
  db: DataSource,
  file: string,
  options: PluginViewImportOptions,
): Promise<PluginViewImportReport> {
  const { plugin } = options;
  const problems: ViewImportProblem[] = [];
  const report = (site: string | null, unknown: UnknownPost[] = []): PluginViewImportReport => ({
    rows: 0,
    days: 0,
    views: 0,
    site,
    unknown,
    problems: problems.slice(0, maxProblems),
  });
  const target = await wordpressSite(db, options.site ?? null);
  if ('problem' in target) {
    problems.push({ line: 0, message: target.problem });
    return report(null);
  }
  // post id -> day -> views; and where each post id is first seen.
  const sums = new Map<string, Map<number, number>>();
  const firstSeen = new Map<string, { line: number; rows: number; views: number }>();
  const blogs = new Set<string>();
  let rows = 0;
  const records = (await isSqlDump(file))
    ? sqlRecords(file, plugin, problems)
    : csvRecords(file, plugin);
  for await (const { line, record } of records) {
    const row = rowOf(plugin, line, record);
    if ('message' in row) {
      problems.push(row);
      if (problems.length >= maxProblems) break;
      continue;
    }
    if (row.blogId !== null) {
      if (options.blogId != null && row.blogId !== options.blogId) continue;
      blogs.add(row.blogId);
    }
    rows += 1;
    const days = sums.get(row.postId) ?? new Map<number, number>();
    days.set(row.day, (days.get(row.day) ?? 0) + row.views);
    sums.set(row.postId, days);
    const seen = firstSeen.get(row.postId) ?? { line, rows: 0, views: 0 };
    seen.rows += 1;
    seen.views += row.views;
    firstSeen.set(row.postId, seen);
  }
  if (blogs.size > 1) {
    problems.push({
      line: 0,
      message: `the rows are of several blogs of a multisite network (blog_id ${[...blogs].sort().join(', ')}): name one with --blog-id.`,
    });
  }
  if (problems.length) return report(target.site);

  const articleIds = await articleIdsOfPosts(db, target.site, [...sums.keys()]);
  const counts: BucketCount[] = [];
  const unknown: UnknownPost[] = [];
  for (const [postId, days] of sums) {
    const articleId = articleIds.get(postId);
    if (articleId === undefined) {
      unknown.push({ postId, ...firstSeen.get(postId)! });
      continue;
    }
    for (const [day, views] of days) {
      if (views > maxDailyViews) {
        problems.push({
          line: firstSeen.get(postId)!.line,
          message: `post ${postId} has ${views} views on ${new Date(day).toISOString().slice(0, 10)}, more than ${maxDailyViews}.`,
        });
        continue;
      }
      // No visitor counts in either plugin: the views stand for visitors, as in the slug import.
      counts.push({ articleId, bucketStart: day, views, uniqueVisitors: views });
    }
  }
  unknown.sort((a, b) => a.line - b.line);
  if (problems.length) return report(target.site, unknown);
  if (counts.length) {
    await writeTransaction(db, manager => replaceImportedDays(manager, dialectOf(db), counts));
  }
  return {
    rows,
    days: counts.length,
    views: counts.reduce((sum, count) => sum + count.views, 0),
    site: target.site,
    unknown,
    problems: [],
  };
}
