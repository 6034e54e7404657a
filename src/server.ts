import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { type Clock, type Context, createContext, systemClock } from './context';
import { errorFormatter } from './plugins/errorFormatter';
import { metricsPlugin } from './plugins/metricsPlugin';
import type { Metrics } from './services/metrics';
import { runInRequestScope } from './services/requestScope';

export interface ServerOptions {
  config: Config;
  db: DataSource;
  schema: GraphQLSchema;
  log: Logger;
  metrics: Metrics;
  clock?: Clock;
}

export interface GatewayServer {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
  /** Starts listening; resolves with the bound port (0 picks a free one). */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, drains in-flight requests and stops Apollo. Does not close the database. */
  stop(): Promise<void>;
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the express app with Apollo Server and the operational routes, without listening. */
export async function createServer(options: ServerOptions): Promise<GatewayServer> {
  const { config, db, schema, log, metrics } = options;
  const clock = options.clock ?? systemClock;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  let draining = false;

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    formatError: errorFormatter(log),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      metricsPlugin({ metrics, exposeStatementCount: !config.production }),
      config.sandbox
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
        : config.production
          ? ApolloServerPluginLandingPageDisabled()
          : ApolloServerPluginLandingPageProductionDefault({ footer: false }),
    ],
  });
  await apollo.start();

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    try {
      await db.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch (error) {
      log.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(
    '/media',
    express.static(config.mediaDir, {
      fallthrough: false,
      immutable: true,
      maxAge: '7d',
      index: false,
    }),
  );

  app.use(
    '/graphql',
    express.json({ limit: '100kb' }),
    (req, res, next) => {
      const header = req.get('x-request-id');
      const requestId = header && requestIdPattern.test(header) ? header : randomUUID();
      res.setHeader('x-request-id', requestId);
      // Set after body parsing: stream callbacks would otherwise run outside the scope.
      runInRequestScope({ requestId, statements: 0 }, () => next());
    },
    expressMiddleware(apollo, {
      context: async ({ req, res }) =>
        createContext({
          db,
          config,
          clock,
          requestId: String(res.getHeader('x-request-id')),
          baseUrl: `${req.protocol}://${req.get('host') ?? 'localhost'}`,
        }),
    }),
  );

  return {
    app,
    httpServer,
    apollo,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    stop: async () => {
      draining = true;
      await apollo.stop();
    },
  };
}
