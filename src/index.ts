import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { createGateway } from './gateway';
import { heapLimitWarning } from './ops/heapLimit';

async function main(): Promise<void> {
  // Settings: one validated module (the environment over .env, if any); a bad value stops the
  // start with one line naming it.
  const config = loadConfig();

  // Database, demo content, schema and server, wired in one place.
  const gateway = await createGateway(config);
  if (config.envFile) gateway.log.info({ envFile: config.envFile }, 'settings read from .env');
  // A port in use (or a HOST that is not this machine's) is one line naming the setting.
  const port = await gateway.server.listen(config.port, config.host).catch((error: unknown) => {
    throw listenFailure(error, config.host, config.port);
  });

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

  // Ready only now: a signal from here on is a graceful stop (a process manager may send one as
  // soon as it reads this line).
  gateway.log.info(
    `content-gateway ready at http://localhost:${port}/graphql (${config.database.type})`,
  );
  // The heap limit is a node flag (npm start sets it from HEAP_MAX_MB); say so if it is not the one asked for.
  const heapWarning = heapLimitWarning(config.heapMaxMb);
  if (heapWarning) gateway.log.warn(heapWarning);
}

/** What to change when the server cannot listen, as a ConfigError; other errors as they are. */
function listenFailure(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') {
    return new ConfigError(
      `Port ${port} is in use (${where}): set PORT to a free port (0 picks one), or HOST to another address, or stop the process listening there.`,
    );
  }
  if (code === 'EACCES') {
    return new ConfigError(
      `Port ${port} needs privileges this process lacks (${where}): set PORT to 1024 or above.`,
    );
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ConfigError(
      `HOST ${host} is not an address of this machine (${code}): set HOST to one (0.0.0.0 listens on all, 127.0.0.1 on this machine only).`,
    );
  }
  return error;
}

main().catch(error => {
  console.error(
    error instanceof ConfigError
      ? error.message
      : `content-gateway failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
