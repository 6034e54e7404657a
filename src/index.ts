import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { createGateway } from './gateway';
import { heapLimitWarning } from './ops/heapLimit';

async function main(): Promise<void> {
  // Settings: one validated module; a bad value stops the start with one line naming it.
  const config = loadConfig();

  // Database, demo content, schema and server, wired in one place.
  const gateway = await createGateway(config);
  const port = await gateway.server.listen(config.port, config.host);
  gateway.log.info(
    `content-gateway ready at http://localhost:${port}/graphql (${config.database.type})`,
  );
  // The heap limit is a node flag (npm start sets it from HEAP_MAX_MB); say so if it is not the one asked for.
  const heapWarning = heapLimitWarning(config.heapMaxMb);
  if (heapWarning) gateway.log.warn(heapWarning);

  // Graceful shutdown on SIGTERM and SIGINT: /ready 503, stop accepting, drain, flush views, close
  // the database, exit 0. A second signal, or a stop that hangs past its budget, exits at once.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      gateway.log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    gateway.log.info({ signal }, 'shutting down');
    const budget = config.shutdownDelayMs + config.shutdownTimeoutMs + 5000;
    setTimeout(() => {
      gateway.log.error({ budgetMs: budget }, 'shutdown took too long: exiting');
      process.exit(1);
    }, budget).unref();
    gateway.stop().then(
      () => {
        gateway.log.info('stopped');
        process.exit(0);
      },
      error => {
        gateway.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch(error => {
  console.error(
    error instanceof ConfigError
      ? error.message
      : `content-gateway failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
