import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { createDataSource, openDataSource } from './db/createDataSource';
import { seedDemoContent } from './db/seedDemoContent';
import { buildGatewaySchema } from './schema/buildGatewaySchema';
import { createServer } from './server';
import { createLogger } from './services/logger';
import { createMetrics } from './services/metrics';

async function main(): Promise<void> {
  // Settings: one validated module; a bad value stops the start with one line naming it.
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const metrics = createMetrics();

  // Database: open, migrate, and fill an empty embedded database with the demo site.
  const db = createDataSource(config.database, {
    log,
    onStatement: () => metrics.dbStatements.inc(),
  });
  await openDataSource(db, config.migrationsRun);
  if (config.demoContent) await seedDemoContent(db, config.contentDir, log);

  // Schema and server.
  const schema = await buildGatewaySchema();
  const server = await createServer({ config, db, schema, log, metrics });
  const port = await server.listen(config.port, config.host);
  log.info(`content-gateway ready at http://localhost:${port}/graphql (${config.database.type})`);

  // Graceful shutdown: stop accepting, drain requests, close the database, exit 0.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await server.stop();
    await db.destroy();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch(error => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(
      'content-gateway failed to start:',
      error instanceof Error ? error.message : error,
    );
  }
  process.exit(1);
});
