import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { type Context, createContext } from '../context';
import { type Clock, systemClock } from '../ops/clock';
import type { ViewServices } from '../views/viewServices';
import { sendInternalError } from './httpGuards';
import { cachePolicyPlugin } from '../plugins/cachePolicyPlugin';
import { errorFormatter } from '../plugins/errorFormatter';
import { internalErrorsPlugin } from '../plugins/internalErrorsPlugin';
import { loggingPlugin } from '../plugins/loggingPlugin';
import { metricsPlugin } from '../plugins/metricsPlugin';
import { queryLimitsPlugin } from '../plugins/queryLimitsPlugin';
import { rateLimitPlugin } from '../plugins/rateLimitPlugin';
import { exportsRoute } from './exportsRoute';
import { graphqlRoute, isGraphqlRequest } from './graphqlRoute';
import {
  clientIp,
  headerOf,
  requestIdOf,
  requestProtocol,
  type TrustProxy,
} from './incomingRequest';
import { isViewBeacon, viewBeaconRoute } from './viewBeaconRoute';
import { TokenVerifier, viewerFromAuthorization } from '../access/apiTokens';
import type { Metrics } from '../ops/metrics';
import { memoryRateLimiter, type RateLimiter } from '../access/rateLimiter';
import type { RequestScope } from '../ops/requestScope';
import type { SqlReader } from '../db/SqlReader';

export interface ServerOptions {
  config: Config;
  db: DataSource;
  /** Read statements, kept prepared; the gateway closes it before the database. */
  reader: SqlReader;
  schema: GraphQLSchema;
  log: Logger;
  metrics: Metrics;
  clock?: Clock;
  /** The view counter and ranking snapshots (created by createGateway). */
  views: ViewServices;
  /** Where rate-limit counters live; in this process's memory by default. */
  rateLimiter?: RateLimiter;
  /** Apollo's cache for automatic persisted queries (Redis when REDIS_URL is set); in memory by default. */
  persistedQueryCache?: {
    get(key: string): Promise<string | undefined>;
    set(key: string, value: string, options?: { ttl?: number | null }): Promise<void>;
    delete(key: string): Promise<boolean | void>;
  };
}

export interface GatewayServer {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
  /** Starts listening; resolves with the bound port (0 picks a free one). */
  listen(port: number, host?: string): Promise<number>;
  /**
   * Turns /ready to 503 at once, keeps serving for SHUTDOWN_DELAY_MS (so a load balancer sees it
   * and stops routing here), then stops accepting, lets in-flight requests finish within
   * SHUTDOWN_TIMEOUT_MS (then closes what is left) and stops Apollo. Does not close the database.
   */
  stop(): Promise<void>;
  /** True from the moment stop() is called. */
  readonly draining: boolean;
}

/**
 * Builds the HTTP server without listening: /graphql (Apollo Server) and POST /views on node:http,
 * the operational routes (/health, /ready, /metrics, /media, /exports) on express.
 */
export async function createServer(options: ServerOptions): Promise<GatewayServer> {
  const { config, db, reader, schema, log, metrics } = options;
  const clock = options.clock ?? systemClock;
  const app = express();
  app.disable('x-powered-by');
  // Behind a CDN or load balancer the client's address is in X-Forwarded-For; TRUST_PROXY says how
  // many hops (or which proxies) to believe, so req.ip is the client, not the proxy, and not spoofable.
  app.set('trust proxy', config.trustProxy);
  const rateLimiter = options.rateLimiter ?? memoryRateLimiter(config.rateLimits.windowSeconds);
  let draining = false;
  // While draining, every answer says Connection: close, so no client sends another request on a
  // socket the drain is about to close (a request can otherwise run and lose its answer).
  // And a request that arrives on a socket the drain has already half-closed (Apollo's Stopper ends
  // idle keep-alive sockets) could run but never deliver its answer: it is dropped unprocessed, so
  // the client sees a closed connection and knows nothing happened. False: dropped.
  const admit = (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    if (draining) {
      if (req.socket.writableEnded || req.socket.destroyed) {
        req.socket.destroy();
        return false;
      }
      res.setHeader('connection', 'close');
    }
    return true;
  };
  // View beacons and GraphQL requests skip express, whose router and request objects cost more
  // than a view or a small operation (README "Performance"). The client's address is read as
  // express reads req.ip, with the same TRUST_PROXY.
  const trustProxy = app.get('trust proxy fn') as TrustProxy;
  const beacon = viewBeaconRoute({
    reader,
    config,
    clock,
    log,
    metrics,
    views: options.views,
    limiter: rateLimiter,
    clientIp: req => clientIp(req, trustProxy),
  });
  // Set once Apollo has started, before the server listens.
  let graphql: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | null = null;
  const httpServer = http.createServer(
    {
      // A request must arrive in full within HTTP_REQUEST_TIMEOUT_MS (its headers within
      // HTTP_HEADERS_TIMEOUT_MS), else node:http answers 408 and closes the socket. Node checks
      // the timeouts every connectionsCheckingInterval (30 s by default); every second instead,
      // so that a slow client is cut within a second of its timeout.
      requestTimeout: config.http.requestTimeoutMs,
      headersTimeout: config.http.headersTimeoutMs,
      connectionsCheckingInterval: 1000,
    },
    (req, res) => {
      const route = isViewBeacon(req) ? beacon : isGraphqlRequest(req) ? graphql : null;
      if (!route) app(req, res);
      else if (admit(req, res)) route(req, res);
    },
  );
  httpServer.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  // Beyond the cap node:http closes a new connection as soon as it is accepted.
  httpServer.maxConnections = config.http.maxConnections;

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    // No "Did you mean ...?" in production: suggestions leak the schema when introspection is off.
    hideSchemaDetailsFromClientErrors: config.production,
    formatError: errorFormatter({ hideSuggestions: config.production }),
    // Array bodies are refused (Apollo's default, stated here): one HTTP request, one operation, so
    // limits, rate limits and caching see every operation.
    allowBatchedHttpRequests: false,
    // index.ts owns SIGTERM/SIGINT (/ready 503 first, then drain, flush, close the database);
    // Apollo's own handler would start draining at once, behind its back.
    stopOnTerminationSignals: false,
    // A backstop for the token limit the HTTP guard checks before parsing.
    parseOptions: { maxTokens: config.limits.maxTokens },
    persistedQueries: {
      ttl: config.persistedQueryTtlSeconds,
      ...(options.persistedQueryCache ? { cache: options.persistedQueryCache } : {}),
    },
    plugins: [
      ApolloServerPluginDrainHttpServer({
        httpServer,
        stopGracePeriodMillis: config.shutdownTimeoutMs,
      }),
      // Cache-Control from the operation as a whole, instead of Apollo's per-field cache hints,
      // which instrument every resolved field (measured: see README "Performance").
      ApolloServerPluginCacheControlDisabled(),
      cachePolicyPlugin({ schema, defaultMaxAge: config.cacheMaxAgeSeconds }),
      ...(config.rateLimits.enabled
        ? [rateLimitPlugin({ limits: config.rateLimits, limiter: rateLimiter, metrics, clock })]
        : []),
      queryLimitsPlugin({ schema, limits: config.limits, metrics }),
      metricsPlugin({ metrics, exposeStatementCount: !config.production }),
      loggingPlugin(log),
      internalErrorsPlugin(log),
      config.sandbox
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
        : config.production
          ? ApolloServerPluginLandingPageDisabled()
          : ApolloServerPluginLandingPageProductionDefault({ footer: false }),
    ],
  });
  await apollo.start();
  const tokens = new TokenVerifier(db);
  graphql = graphqlRoute({
    apollo,
    limits: config.limits,
    metrics,
    log,
    context: async (req, requestId) => {
      const ip = clientIp(req, trustProxy);
      const scope: RequestScope = { requestId, statements: 0, clientIp: ip };
      return createContext({
        reader,
        scope,
        config,
        clock,
        baseUrl: `${requestProtocol(req, trustProxy)}://${req.headers.host ?? 'localhost'}`,
        viewer: await viewerFromAuthorization(
          tokens,
          headerOf(req, 'authorization'),
          clock(),
          reader.counting(scope),
        ),
        views: options.views,
        // For recordView's guard only: hashed with a daily salt, never stored or logged.
        request: {
          ip: ip ?? null,
          userAgent: headerOf(req, 'user-agent') ?? null,
          purpose: headerOf(req, 'sec-purpose') ?? headerOf(req, 'purpose') ?? null,
        },
      });
    },
  });

  app.use((req, res, next) => {
    if (admit(req, res)) next();
  });
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

  app.use('/exports', exportsRoute({ reader, config, clock, log, tokens }));

  // Last resort for errors in the express routes (a failing middleware): a JSON answer without detail or
  // stack (express's default handler prints the stack outside production), the detail in the log.
  app.use(
    (
      error: { status?: number; statusCode?: number },
      req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (res.headersSent) {
        next(error);
        return;
      }
      const status = error.status ?? error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        res.status(status).json({ error: http.STATUS_CODES[status] ?? 'Bad Request' });
        return;
      }
      const header = res.getHeader('x-request-id');
      const requestId = typeof header === 'string' ? header : requestIdOf(req);
      log.error({ err: error, requestId, path: req.path }, 'unexpected http error');
      sendInternalError(res, requestId);
    },
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
    get draining() {
      return draining;
    },
    stop: async () => {
      draining = true;
      if (config.shutdownDelayMs > 0) {
        await new Promise(resolve => setTimeout(resolve, config.shutdownDelayMs));
      }
      await apollo.stop();
    },
  };
}
