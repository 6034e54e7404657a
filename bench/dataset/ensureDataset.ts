import 'reflect-metadata';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { type BenchDatabase, openPostgres, openSqlite } from './BenchDatabase';
import {
  articleColumns,
  articleRow,
  contentFileOf,
  type ContentSize,
  type GeneratedContent,
  generateContent,
} from './generateContent';
import { generateViews, type ViewSize } from './generateViews';
import { viewTablesOf, type ViewTables } from './viewTables';
import type { DatabaseSettings } from '../../src/config';
import { importContent } from '../../src/content/import/contentImport';
import { sortKey as sortKeyOf } from '../../src/content/textFolding';
import { createDataSource, openDataSource } from '../../src/db/createDataSource';
import { migrations } from '../../src/db/migrations';
import { createLogger } from '../../src/ops/logger';

export interface DatasetSpec extends ContentSize, ViewSize {
  seed: number;
}

export interface Dataset {
  spec: DatasetSpec;
  /** When the dataset's clock stood: articles and views end here. */
  generatedAt: number;
  /** Where the gateway and the baseline find it. */
  settings: DatabaseSettings;
  /** For PostgreSQL: the URL with the schema; for SQLite: the file. */
  location: string;
  viewTables: ViewTables | null;
  seconds: number;
  reused: boolean;
  counts: Record<string, number>;
}

// Bump when the generator changes what it writes, so that old datasets are not reused.
const generatorVersion = 5;
const log = createLogger('warn');

function keyOf(spec: DatasetSpec, dialect: string): string {
  const identity = {
    spec,
    dialect,
    generatorVersion,
    migrations: migrations.map(migration => migration.name),
  };
  return crypto.createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 12);
}

/**
 * Checks the bulk path against the project's own import: the first articles imported with
 * importContent must store exactly the columns articleRow computes.
 */
async function verifyAgainstImport(content: GeneratedContent, now: number): Promise<void> {
  const sample = content.articles.slice(0, 5);
  const db = createDataSource(
    { type: 'sqlite', database: ':memory:', url: 'sqlite::memory:' },
    { log },
  );
  await openDataSource(db, true);
  try {
    const report = await importContent(
      db,
      sample.map(article => contentFileOf(article, content)),
      new Date(now),
    );
    if (report.problems.length) {
      throw new Error(`import of generated articles failed: ${JSON.stringify(report.problems[0])}`);
    }
    for (const article of sample) {
      const [stored] = await db.query(
        `SELECT ${articleColumns.join(', ')} FROM article WHERE slug = ?`,
        [article.slug],
      );
      const expected = articleRow(article, now).values;
      articleColumns.forEach((column, i) => {
        const want = typeof expected[i] === 'boolean' ? Number(expected[i]) : expected[i];
        if (stored[column] !== want) {
          throw new Error(
            `bulk path differs from importContent for ${article.slug}.${column}: expected ${JSON.stringify(stored[column])}, got ${JSON.stringify(want)}`,
          );
        }
      });
    }
  } finally {
    await db.destroy();
  }
}

async function writeContent(db: BenchDatabase, content: GeneratedContent, now: number) {
  await db.transaction(async () => {
    await db.insertRows(
      'author',
      ['internal_id', 'slug', 'name', 'sort_name', 'bio', 'avatar_url'],
      content.authors.map((a, i) => [i + 1, a.slug, a.name, sortKeyOf(a.name), a.bio, a.avatarUrl]),
    );
    await db.insertRows(
      'tag',
      ['internal_id', 'slug', 'name', 'sort_name', 'description'],
      content.tags.map((t, i) => [i + 1, t.slug, t.name, sortKeyOf(t.name), t.description]),
    );
    const batch = 500;
    for (let start = 0; start < content.articles.length; start += batch) {
      const chunk = content.articles.slice(start, start + batch);
      const rows = chunk.map(article => articleRow(article, now));
      await db.insertRows(
        'article',
        ['internal_id', ...articleColumns],
        rows.map((row, i) => [start + i + 1, ...row.values]),
      );
      if (db.dialect === 'sqlite') {
        await db.insertRows(
          'article_search',
          ['rowid', 'title', 'body'],
          rows.map((row, i) => [start + i + 1, row.searchTitle, row.searchBody]),
        );
      } else {
        for (let i = 0; i < rows.length; i += 1) {
          await db.query(
            "UPDATE article SET search_vector = setweight(to_tsvector('simple', $1), 'A') || setweight(to_tsvector('simple', $2), 'B') WHERE internal_id = $3",
            [rows[i].searchTitle, rows[i].searchBody, start + i + 1],
          );
        }
      }
    }
    await db.insertRows(
      'article_author',
      ['article_id', 'author_id', 'position'],
      content.articles.flatMap((article, i) =>
        article.authors.map((author, position) => [i + 1, author + 1, position]),
      ),
    );
    await db.insertRows(
      'article_tag',
      ['article_id', 'tag_id', 'position'],
      content.articles.flatMap((article, i) =>
        article.tags.map((tag, position) => [i + 1, tag + 1, position]),
      ),
    );
    // An established site: every publication that is due was announced long ago (as migration
    // 1765000000000 marks the rows it finds), so a gateway's first start does not record an
    // article.published event for each of the 20,000 articles before it is ready.
    await db.query(
      `UPDATE article SET published_announced_at = published_at
        WHERE status = 'PUBLISHED' AND published_at <= ${Number(now)}`,
    );
    if (db.dialect === 'postgres') {
      // Explicit ids were inserted: move the identity sequences past them.
      for (const table of ['article', 'author', 'tag']) {
        await db.query(
          `SELECT setval(pg_get_serial_sequence('${table}', 'internal_id'), (SELECT MAX(internal_id) FROM ${table}))`,
        );
      }
    }
  });
}

async function writeViews(
  db: BenchDatabase,
  tables: ViewTables,
  spec: DatasetSpec,
  content: GeneratedContent,
  now: number,
): Promise<{ views: number; buckets: number }> {
  const targets = content.articles
    .map((article, i) => ({
      articleId: i + 1,
      publishedAt: article.publishedAt,
      status: article.status,
    }))
    .filter(target => target.status === 'PUBLISHED' && target.publishedAt != null)
    .map(target => ({ articleId: target.articleId, publishedAt: target.publishedAt as number }));
  let hourly: unknown[][] = [];
  let daily: unknown[][] = [];
  let result = { views: 0, buckets: 0 };
  await db.transaction(async () => {
    const pending: Promise<void>[] = [];
    result = generateViews(spec, targets, spec.seed + 1, now, bucket => {
      const row = tables.row(bucket);
      if (bucket.granularity === 'hour') hourly.push(row);
      else daily.push(row);
      if (hourly.length >= 5000) {
        pending.push(db.insertRows(tables.hourly.table, tables.hourly.columns, hourly));
        hourly = [];
      }
      if (daily.length >= 5000) {
        pending.push(db.insertRows(tables.daily.table, tables.daily.columns, daily));
        daily = [];
      }
    });
    pending.push(db.insertRows(tables.hourly.table, tables.hourly.columns, hourly));
    pending.push(db.insertRows(tables.daily.table, tables.daily.columns, daily));
    await Promise.all(pending);
    await tables.afterWrite?.(db);
  });
  return result;
}

async function postgresAdmin(url: string): Promise<void> {
  const target = new URL(url);
  const database = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}

/**
 * The dataset for a spec: reused when one with the same spec, generator and migrations exists
 * (and is younger than maxAgeHours, since its views end at the time it was made), else generated:
 * migrations by the gateway's own code, then bulk inserts in big transactions.
 */
export async function ensureDataset(options: {
  spec: DatasetSpec;
  dialect: 'sqlite' | 'postgres';
  dataDir: string;
  postgresUrl: string;
  maxAgeHours: number;
  progress: (message: string) => void;
}): Promise<Dataset> {
  const { spec, dialect, dataDir } = options;
  const key = keyOf(spec, dialect);
  fs.mkdirSync(dataDir, { recursive: true });
  const manifestFile = path.join(dataDir, `dataset-${key}.json`);
  const file = path.join(dataDir, `dataset-${key}.sqlite`);
  const schema = `bench_${key}`;
  const settings: DatabaseSettings =
    dialect === 'sqlite'
      ? { type: 'sqlite', database: file, url: `sqlite:${file}` }
      : { type: 'postgres', url: options.postgresUrl, poolSize: 10, schema, readUrls: [] };
  const viewTables = viewTablesOf(migrations.map(migration => migration.name));

  if (fs.existsSync(manifestFile)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Dataset;
    const fresh = Date.now() - manifest.generatedAt < options.maxAgeHours * 3_600_000;
    const present = dialect === 'postgres' || fs.existsSync(file);
    if (fresh && present) {
      options.progress(
        `reusing dataset ${key} from ${new Date(manifest.generatedAt).toISOString()}`,
      );
      return { ...manifest, settings, viewTables, reused: true };
    }
  }

  const started = Date.now();
  const now = Date.now();
  options.progress(`generating dataset ${key}: ${JSON.stringify(spec)}`);
  const content = generateContent(spec, spec.seed, now);
  await verifyAgainstImport(content, now);
  options.progress('bulk path verified against importContent on 5 articles');

  if (dialect === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
  } else {
    await postgresAdmin(options.postgresUrl);
    const client = new pg.Client({ connectionString: options.postgresUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
  }
  // The gateway's own migrations make the schema.
  const migrator = createDataSource(settings, { log });
  await openDataSource(migrator, true);
  await migrator.destroy();

  const db =
    dialect === 'sqlite' ? openSqlite(file) : await openPostgres(options.postgresUrl, schema);
  try {
    await writeContent(db, content, now);
    options.progress(
      `content written: ${content.articles.length} articles, ${content.authors.length} authors, ${content.tags.length} tags (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    const counts: Record<string, number> = {
      articles: content.articles.length,
      authors: content.authors.length,
      tags: content.tags.length,
    };
    if (viewTables) {
      const views = await writeViews(db, viewTables, spec, content, now);
      counts.views = views.views;
      counts.viewBuckets = views.buckets;
      options.progress(
        `views written: ${views.views} views in ${views.buckets} rollup rows (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    } else {
      options.progress('no view rollup tables in the migrations yet: no views written');
    }
    await db.exec(db.dialect === 'sqlite' ? 'ANALYZE' : 'ANALYZE');
    const dataset: Dataset = {
      spec,
      generatedAt: now,
      settings,
      location: dialect === 'sqlite' ? file : `${options.postgresUrl} schema ${schema}`,
      viewTables: null,
      seconds: (Date.now() - started) / 1000,
      reused: false,
      counts,
    };
    fs.writeFileSync(manifestFile, JSON.stringify(dataset, null, 2));
    return { ...dataset, viewTables };
  } finally {
    await db.close();
  }
}
