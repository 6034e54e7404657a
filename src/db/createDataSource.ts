import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { DatabaseSettings } from '../config';
import { Article } from '../entities/Article';
import { ArticleAuthor } from '../entities/ArticleAuthor';
import { ArticleTag } from '../entities/ArticleTag';
import { Author } from '../entities/Author';
import { Tag } from '../entities/Tag';
import { migrations } from './migrations';
import { StatementLogger } from './StatementLogger';

export const entities = [Article, Author, Tag, ArticleAuthor, ArticleTag];

export interface DataSourceOptions {
  log: Logger;
  /** Called once for every SQL statement run, for the statements metric. */
  onStatement?: () => void;
}

/** BIGINT (epoch milliseconds, counts) as numbers: every value we store is below 2^53. */
pg.types.setTypeParser(pg.types.builtins.INT8, value => Number(value));

/** Builds (does not open) the DataSource for the configured database. */
export function createDataSource(
  settings: DatabaseSettings,
  options: DataSourceOptions,
): DataSource {
  const logger = new StatementLogger(options.log, options.onStatement ?? (() => undefined));
  if (settings.type === 'postgres') {
    return new DataSource({
      type: 'postgres',
      url: settings.url,
      entities,
      migrations,
      logger,
      logging: true,
      maxQueryExecutionTime: 1000,
      poolSize: settings.poolSize,
      schema: settings.schema,
      // Unqualified names in raw SQL resolve in the configured schema.
      extra: { options: `-c search_path=${settings.schema}` },
      synchronize: false,
    });
  }
  if (settings.database !== ':memory:') {
    fs.mkdirSync(path.dirname(settings.database), { recursive: true });
  }
  return new DataSource({
    type: 'sqlite',
    database: settings.database,
    entities,
    migrations,
    logger,
    logging: true,
    maxQueryExecutionTime: 1000,
    // WAL lets readers run while the view flusher writes; see README "Durability" for the trade.
    enableWAL: settings.database !== ':memory:',
    busyTimeout: 5000,
    synchronize: false,
  });
}

/** Opens the DataSource, applies SQLite's pragmas and, if asked, runs pending migrations. */
export async function openDataSource(db: DataSource, runMigrations: boolean): Promise<DataSource> {
  await db.initialize();
  if (db.options.type === 'sqlite') {
    // NORMAL is safe with WAL: a power cut may lose the last commits, never corrupt the file.
    await db.query('PRAGMA synchronous = NORMAL');
  }
  if (runMigrations) await db.runMigrations({ transaction: 'each' });
  return db;
}
