import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import type { DatabaseSettings } from '../config';
import { migrations } from './migrations';
import { StatementLogger } from './StatementLogger';
import { Article } from '../entities/Article';
import { ArticleAuthor } from '../entities/ArticleAuthor';
import { ArticleRevision } from '../entities/ArticleRevision';
import { ArticleSlug } from '../entities/ArticleSlug';
import { ArticleTag } from '../entities/ArticleTag';
import { Author } from '../entities/Author';
import { Tag } from '../entities/Tag';

export const entities = [
  Article,
  Author,
  Tag,
  ArticleAuthor,
  ArticleTag,
  ArticleRevision,
  ArticleSlug,
];

export interface DataSourceOptions {
  log: Logger;
  /** Called once for every SQL statement run, for the statements metric. */
  onStatement?: () => void;
}

/** BIGINT (epoch milliseconds, counts) as numbers: every value we store is below 2^53. */
pg.types.setTypeParser(pg.types.builtins.INT8, value => Number(value));

interface BindableStatement {
  run(...values: unknown[]): unknown;
  get(...values: unknown[]): unknown;
  all(...values: unknown[]): unknown;
  iterate(...values: unknown[]): unknown;
}

/**
 * Makes better-sqlite3 take the parameters the sqlite3 driver takes: numbered placeholders
 * (?1, ?2, as SqlParams writes them; better-sqlite3 binds only plain ? positionally, so they
 * become named @p1, @p2) and booleans (bound as 1 and 0, as sqlite3 does).
 */
function adaptParameters(database: { prepare(sql: string): BindableStatement }): void {
  const prepare = database.prepare.bind(database);
  database.prepare = (sql: string) => {
    const numbered = new Set<number>();
    // Placeholders outside string literals only.
    const text = sql.replace(/'(?:[^']|'')*'|\?(\d+)/g, (match, index: string | undefined) => {
      if (index === undefined) return match;
      numbered.add(Number(index));
      return `@p${index}`;
    });
    const statement = prepare(text);
    const bind = (values: unknown[]): unknown[] => {
      const plain = values.map(value => (typeof value === 'boolean' ? Number(value) : value));
      if (numbered.size === 0) return plain;
      return [Object.fromEntries([...numbered].map(n => [`p${n}`, plain[n - 1]]))];
    };
    for (const method of ['run', 'get', 'all', 'iterate'] as const) {
      const original = statement[method].bind(statement);
      statement[method] = (...values: unknown[]) => original(...bind(values));
    }
    return statement;
  };
}

/**
 * The sqlite3 module as TypeORM gets it. TypeORM calls sqlite3.verbose(), which wraps every call
 * to build an Error for a long stack trace and util.inspect its arguments (the SQL and all its
 * parameters): 3 % of the gateway's CPU on a listing page (bench --cpu-prof, sqlite3's trace.js).
 * Here verbose() hands back the module unpatched; errors keep their own stack.
 */
const quietSqlite3 = { ...sqlite3, verbose: () => sqlite3 };

/** Builds (does not open) the DataSource for the configured database. */
export function createDataSource(
  settings: DatabaseSettings,
  options: DataSourceOptions,
): DataSource {
  // What every dialect shares: the entities and migrations, the counting logger, no synchronize.
  const common = {
    entities,
    migrations,
    logger: new StatementLogger(options.log, options.onStatement ?? (() => undefined)),
    logging: true,
    maxQueryExecutionTime: 1000,
    synchronize: false,
  } as const;
  if (settings.type === 'postgres') {
    return new DataSource({
      ...common,
      type: 'postgres',
      url: settings.url,
      poolSize: settings.poolSize,
      schema: settings.schema,
      // Unqualified names in raw SQL resolve in the configured schema.
      extra: { options: `-c search_path=${settings.schema}` },
    });
  }
  if (settings.database !== ':memory:') {
    fs.mkdirSync(path.dirname(settings.database), { recursive: true });
  }
  if (settings.driver === 'better-sqlite3') {
    // The synchronous driver: no per-statement thread hop; see README "Performance" for figures.
    return new DataSource({
      ...common,
      type: 'better-sqlite3',
      database: settings.database,
      enableWAL: settings.database !== ':memory:',
      timeout: 5000,
      prepareDatabase: adaptParameters,
    });
  }
  return new DataSource({
    ...common,
    type: 'sqlite',
    database: settings.database,
    driver: quietSqlite3,
    // WAL lets readers run while the view flusher writes; see README "Durability" for the trade.
    enableWAL: settings.database !== ':memory:',
    busyTimeout: 5000,
  });
}

/** Opens the DataSource, applies SQLite's pragmas and, if asked, runs pending migrations. */
export async function openDataSource(db: DataSource, runMigrations: boolean): Promise<DataSource> {
  await db.initialize();
  if (db.options.type !== 'postgres') {
    // NORMAL is safe with WAL: a power cut may lose the last commits, never corrupt the file.
    await db.query('PRAGMA synchronous = NORMAL');
  }
  if (runMigrations) await db.runMigrations({ transaction: 'each' });
  return db;
}
