import 'reflect-metadata';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { type Clock, systemClock } from './context';
import { createDataSource, openDataSource } from './db/createDataSource';
import { seedDemoContent } from './db/seedDemoContent';
import { buildGatewaySchema } from './schema/buildGatewaySchema';
import { createServer, type GatewayServer } from './server';
import { createLogger } from './services/logger';
import { createMetrics, type Metrics } from './services/metrics';

/** Everything one gateway process runs, wired together; index.ts and the tests both use it. */
export interface Gateway {
  config: Config;
  log: Logger;
  metrics: Metrics;
  db: DataSource;
  server: GatewayServer;
  /** Graceful stop: stop accepting, drain requests, close the database. */
  stop(): Promise<void>;
}

export interface GatewayOptions {
  clock?: Clock;
  log?: Logger;
}

/** Opens the database (migrating, seeding the demo site if configured), builds schema and server. */
export async function createGateway(
  config: Config,
  options: GatewayOptions = {},
): Promise<Gateway> {
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const metrics = createMetrics();
  const db = createDataSource(config.database, {
    log,
    onStatement: () => metrics.dbStatements.inc(),
  });
  await openDataSource(db, config.migrationsRun);
  if (config.demoContent) await seedDemoContent(db, config.contentDir, log);
  const schema = await buildGatewaySchema();
  const server = await createServer({ config, db, schema, log, metrics, clock });
  let stopped: Promise<void> | null = null;
  return {
    config,
    log,
    metrics,
    db,
    server,
    stop: () => {
      stopped ??= (async () => {
        await server.stop();
        await db.destroy();
      })();
      return stopped;
    },
  };
}
