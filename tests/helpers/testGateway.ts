import 'reflect-metadata';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDialect } from './databases';
import { type TestClock, testClock } from './testClock';
import { type Config, loadConfig } from '../../src/config';
import { type ContentFile, importContent } from '../../src/content/import/contentImport';
import { createGateway, type Gateway } from '../../src/gateway';
import type { GatewayServer } from '../../src/http/createServer';
import type { Metrics } from '../../src/ops/metrics';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: {
      message: string;
      path?: string[];
      extensions?: { code?: string; [key: string]: unknown };
    }[];
    extensions?: Record<string, unknown>;
  };
  /** SQL statements the request ran (from the x-sql-statements header). */
  statements: number;
}

export interface TestGateway {
  url: string;
  config: Config;
  db: DataSource;
  clock: TestClock;
  metrics: Metrics;
  server: GatewayServer;
  gateway: Gateway;
  /** POSTs a GraphQL operation as a browser or app would. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Imports content files (see fixtures.ts) as `npm run content:import` does. */
  importFiles(files: ContentFile[]): Promise<void>;
  /** Writes the buffered views now (the flusher's own work, without waiting for its timer). */
  flushViews(): Promise<void>;
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  env?: Record<string, string>;
  clock?: TestClock;
  /** The gateway's logger; a silent one by default. */
  log?: Logger;
}

/**
 * A real gateway on a real, fresh database, listening on a free port: the HTTP server, Apollo,
 * loaders and SQL are all the production ones. Only the clock is the test's.
 */
export async function startTestGateway(
  dialect: TestDialect,
  options: TestGatewayOptions = {},
): Promise<TestGateway> {
  const database = await createTestDatabase(dialect);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DEMO_CONTENT: 'false',
    // Rate limits would throttle tests that send thousands of requests from 127.0.0.1; the
    // rate-limit tests turn them on with RATE_LIMIT_ENABLED=true.
    RATE_LIMIT_ENABLED: 'false',
    // The change feed reads the outbox once a second for changes by other processes; tests that
    // count every statement of the process would count those reads too. Local writes nudge it
    // at once; the tests of the poll itself set their own interval.
    CHANGE_POLL_MS: '600000',
    ...database.env,
    ...options.env,
  });
  const clock = options.clock ?? testClock();
  const gateway = await createGateway(config, { clock, log: options.log });
  const { db, server, metrics } = gateway;
  const port = await server.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    config,
    db,
    clock,
    metrics,
    server,
    gateway,
    async gql(query, variables, headers) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as GraphQLResponse['body'];
      return {
        status: response.status,
        headers: response.headers,
        body,
        statements: Number(response.headers.get('x-sql-statements') ?? NaN),
      } as GraphQLResponse<never>;
    },
    async importFiles(files) {
      const report = await importContent(db, files, clock());
      if (report.problems.length)
        throw new Error(`fixture import failed: ${JSON.stringify(report.problems)}`);
    },
    flushViews: () => gateway.views.counter.flush(),
    async close() {
      await gateway.stop();
      await database.drop();
    },
  };
}
