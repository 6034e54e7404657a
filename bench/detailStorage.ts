import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BenchDatabase, openPostgres, openSqlite } from './dataset/BenchDatabase';
import { ensureDataset } from './dataset/ensureDataset';
import { detailRows, type EngagementRow, type SourceRow } from './dataset/generateDetails';
import type { ViewBucket } from './dataset/generateViews';
import { Random } from './dataset/random';

/**
 * What traffic sources and engagement cost on disk (README "Analytics jobs"): the bench's
 * generated dataset (its view rollups) on SQLite, each view bucket given the source and
 * engagement rows the gateway would have written (generateDetails.ts), then bytes per table and
 * index from SQLite's dbstat after VACUUM, per article and day with views, hourly (within the
 * hourly retention) and daily (after compaction). Also the rows each bound on hosts and campaigns
 * per article and day would keep.
 *
 * On PostgreSQL (--postgres-url) the rows go into the bench dataset's own schema, are measured
 * with pg_total_relation_size after VACUUM FULL, and are deleted again.
 *
 *   node dist/bench/bench/detailStorage.js [--articles 2000] [--views 2000000] [--bound 20]
 *     [--postgres-url postgres://postgres@127.0.0.1:5432/content_gateway_bench]
 */
async function main(): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const at = process.argv.indexOf(name);
    return at === -1 ? fallback : Number(process.argv[at + 1]);
  };
  const spec = {
    articles: arg('--articles', 2000),
    authors: 40,
    tags: 30,
    views: arg('--views', 2_000_000),
    days: 400,
    hourlyRetentionDays: 90,
    seed: 5,
  };
  const bound = arg('--bound', 20);
  const urlAt = process.argv.indexOf('--postgres-url');
  const postgresUrl = urlAt === -1 ? null : process.argv[urlAt + 1];
  const dataset = await ensureDataset({
    spec,
    dialect: postgresUrl ? 'postgres' : 'sqlite',
    dataDir: path.join(__dirname, '..', '..', '..', 'bench', 'data'),
    postgresUrl: postgresUrl ?? '',
    maxAgeHours: 24 * 365,
    progress: message => console.log(`[storage] ${message}`),
  });
  let db: BenchDatabase;
  let file: string | null = null;
  if (dataset.settings.type === 'postgres') {
    db = await openPostgres(dataset.settings.url, dataset.settings.schema);
  } else {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cg-storage-')), 'details.sqlite');
    fs.copyFileSync(dataset.settings.database, file);
    db = openSqlite(file);
  }
  const detailTables = [
    'source_hour',
    'source_day',
    'engagement_hour',
    'engagement_day',
    'engagement_total',
  ];
  for (const table of detailTables) await db.exec(`DELETE FROM article_${table}`);
  const read = async (grain: 'hour' | 'day'): Promise<ViewBucket[]> =>
    (
      await db.query<Record<string, number>>(
        `SELECT article_id, bucket_start, views, unique_visitors FROM article_view_${grain} ORDER BY article_id, bucket_start`,
      )
    ).map(row => ({
      articleId: Number(row.article_id),
      start: Number(row.bucket_start),
      granularity: grain,
      views: Number(row.views),
      uniqueVisitors: Number(row.unique_visitors),
    }));
  const buckets = [...(await read('hour')), ...(await read('day'))];
  // Rows each bound keeps (in memory only), and the rows of the chosen bound written.
  for (const each of [5, bound, 1_000_000]) {
    const random = new Random(11);
    const keys = new Map<string, { hosts: Set<string>; campaigns: Set<string> }>();
    let rows = 0;
    for (const bucket of buckets) rows += detailRows(bucket, random, each, keys).sources.length;
    console.log(`[storage] bound ${each === 1_000_000 ? 'none' : each}: ${rows} source rows`);
  }
  const random = new Random(11);
  const keys = new Map<string, { hosts: Set<string>; campaigns: Set<string> }>();
  const rows = { hour: [] as SourceRow[], day: [] as SourceRow[] };
  const engagement = { hour: [] as EngagementRow[], day: [] as EngagementRow[] };
  for (const bucket of buckets) {
    const details = detailRows(bucket, random, bound, keys);
    rows[bucket.granularity].push(...details.sources);
    if (details.engagement) engagement[bucket.granularity].push(details.engagement);
  }
  await db.transaction(async () => {
    for (const grain of ['hour', 'day'] as const) {
      await db.insertRows(
        `article_source_${grain}`,
        ['article_id', 'bucket_start', 'source', 'host', 'campaign', 'views', 'unique_visitors'],
        rows[grain].map(r => [
          r.articleId,
          r.start,
          r.source,
          r.host,
          r.campaign,
          r.views,
          r.uniqueVisitors,
        ]),
      );
      await db.insertRows(
        `article_engagement_${grain}`,
        ['article_id', 'bucket_start', 'reports', 'reads', 'engaged_seconds'],
        engagement[grain].map(r => [r.articleId, r.start, r.reports, r.reads, r.engagedSeconds]),
      );
    }
    await db.exec(`INSERT INTO article_engagement_total (article_id, reports, reads, engaged_seconds)
      SELECT article_id, SUM(reports), SUM(reads), SUM(engaged_seconds) FROM (
        SELECT article_id, reports, reads, engaged_seconds FROM article_engagement_hour
        UNION ALL SELECT article_id, reports, reads, engaged_seconds FROM article_engagement_day
      ) e GROUP BY article_id`);
  });
  const sizes = new Map<string, number>();
  if (db.dialect === 'postgres') {
    for (const grain of ['hour', 'day']) {
      for (const table of [
        `article_view_${grain}`,
        `article_source_${grain}`,
        `article_engagement_${grain}`,
      ]) {
        await db.exec(`VACUUM FULL ${table}`);
        const [row] = await db.query<{ bytes: string }>(
          `SELECT pg_total_relation_size('${table}') AS bytes`,
        );
        sizes.set(table, Number(row.bytes));
      }
    }
    await db.exec('VACUUM FULL article_engagement_total');
    const [total] = await db.query<{ bytes: string }>(
      "SELECT pg_total_relation_size('article_engagement_total') AS bytes",
    );
    sizes.set('article_engagement_total', Number(total.bytes));
  } else {
    await db.exec('VACUUM');
    for (const row of await db.query<{ name: string; bytes: number }>(
      'SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name',
    )) {
      sizes.set(row.name, Number(row.bytes));
    }
  }
  const [hourDays] = await db.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM (SELECT DISTINCT article_id, bucket_start - (bucket_start % 86400000) FROM article_view_hour) d`,
  );
  const [dayDays] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM article_view_day');
  const articleDays = { hour: Number(hourDays.n), day: Number(dayDays.n) };
  const bytes = (table: string) =>
    [...sizes]
      .filter(([name]) => name === table || name.startsWith(`idx_${table}_`))
      .reduce((sum, [, size]) => sum + size, 0);
  console.log(
    `[storage] ${db.dialect}, dataset: ${spec.articles} articles, ${spec.views} views, ${buckets.length} view rollup rows; article-days with views: ${articleDays.hour} hourly, ${articleDays.day} daily`,
  );
  console.log('| table (with its indexes) | rows | bytes | bytes per article and day |');
  console.log('|---|---:|---:|---:|');
  for (const grain of ['hour', 'day'] as const) {
    for (const table of [
      `article_view_${grain}`,
      `article_source_${grain}`,
      `article_engagement_${grain}`,
    ]) {
      const [count] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
      const size = bytes(table);
      console.log(
        `| ${table} | ${count.n} | ${size} | ${(size / articleDays[grain]).toFixed(0)} |`,
      );
    }
  }
  console.log(`| article_engagement_total | | ${bytes('article_engagement_total')} | |`);
  // The bench's PostgreSQL dataset is left as it was; the SQLite copy is removed.
  for (const table of detailTables) await db.exec(`DELETE FROM article_${table}`);
  await db.close();
  if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
