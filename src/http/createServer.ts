import http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { TokenVerifier } from '../access/apiTokens';
import type { RateLimiter } from '../access/rateLimiter';
import type { Config } from '../config';
import type { EditorialServices } from '../content/editorial/editorialServices';
import type { Context } from '../context';
import { createApollo, type PersistedQueryCache } from './apolloServer';
import { corsLayer } from './cors';
import { defaultSiteDir, demoSiteRoute } from './demoSiteRoute';
import { drainGate } from './drainGate';
import { explorerRoutes } from './explorer';
import { explorerPath } from './explorerAssets';
import { exportsRoute } from './exportsRoute';
import { expressErrorHandler, notFoundHandler } from './expressErrorHandler';
import { feedRoutes } from './feedRoutes';
import { graphqlRoute, isGraphqlRequest } from './graphqlRoute';
import { homePage } from './homePage';
import { clientIp, type TrustProxy } from './incomingRequest';
import { opsRoutes } from './opsRoutes';
import { redirectsExportRoute } from './redirectsExportRoute';
import { requestContextFactory } from './requestContext';
import type { ResponseCache } from './responseCache';
import { isViewBeacon, viewBeaconRoute } from './viewBeaconRoute';
import type { SqlReader } from '../db/SqlReader';
import type { Clock } from '../ops/clock';
import type { Metrics } from '../ops/metrics';
import { cacheTagValue } from '../plugins/cacheTagsPlugin';
import type { ViewServices } from '../views/viewServices';

export interface ServerOptions {
  config: Config;
  db: DataSource;
  /** Read statements, kept prepared; the gateway closes it before the database. */
  reader: SqlReader;
  schema: GraphQLSchema;
  log: Logger;
  metrics: Metrics;
  clock: Clock;
  /** The view counter and ranking snapshots (created by createGateway). */
  views: ViewServices;
  /** Checks API tokens (Authorization on /graphql and /exports). */
  tokens: TokenVerifier;
  /** Where rate-limit counters live: this process's memory, or Redis. */
  rateLimiter: RateLimiter;
  /** Apollo's cache for automatic persisted queries (Redis when REDIS_URL is set); in memory without. */
  persistedQueryCache?: PersistedQueryCache;
  /** The next scheduled publication: public answers are not cached past it (README "Scheduling"). */
  publications?: { readonly nextAt: number | null };
  /** What the editorial mutations write with (created by createGateway). */
  editorial: EditorialServices;
  /** The cache of public answers (RESPONSE_CACHE; created by createGateway). */
  responseCache?: ResponseCache;
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
  const { config, db, reader, log, metrics, clock, tokens, rateLimiter, views } = options;
  const app = express();
  app.disable('x-powered-by');
  // Behind a CDN or load balancer the client's address is in X-Forwarded-For; TRUST_PROXY says how
  // many hops (or which proxies) to believe, so req.ip is the client, not the proxy, and not spoofable.
  app.set('trust proxy', config.trustProxy);
  const trustProxy = app.get('trust proxy fn') as TrustProxy;
  const drain = drainGate();
  // CORS for browser clients on other origins: one policy for /graphql, /views and /exports.
  const cors = corsLayer(config.cors);

  // View beacons and GraphQL requests skip express, whose router and request objects cost more
  // than a view or a small operation (README "Performance"). The client's address is read as
  // express reads req.ip, with the same TRUST_PROXY.
  const beacon = viewBeaconRoute({
    reader,
    config,
    clock,
    log,
    metrics,
    views,
    limiter: rateLimiter,
    clientIp: req => clientIp(req, trustProxy),
  });
  // Set once Apollo has started, before the server listens.
  let graphql: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | null = null;
  const httpServer = nodeServer(config, (req, res) => {
    const route = isViewBeacon(req) ? beacon : isGraphqlRequest(req) ? graphql : null;
    if (!route) app(req, res);
    else if (drain.admit(req, res)) cors(req, res, () => route(req, res));
  });

  const apollo = createApollo({ ...options, httpServer });
  await apollo.start();
  graphql = graphqlRoute({
    apollo,
    limits: config.limits,
    metrics,
    log,
    responseCache: options.responseCache,
    context: requestContextFactory({
      config,
      reader,
      clock,
      tokens,
      views,
      trustProxy,
      editorial: options.editorial,
    }),
  });

  app.use((req, res, next) => {
    if (drain.admit(req, res)) next();
  });
  // The demo reader site takes / (DEMO_SITE, on outside production).
  if (config.demoSite) app.use(demoSiteRoute({ siteDir: defaultSiteDir }));
  app.use(opsRoutes({ config, db, log, metrics, drain }));
  // GET /: the page naming the endpoints (where the demo site is off).
  app.get('/', homePage(config));
  // The redirect map of an imported site (README "Old URLs and redirects"), before /exports' 404.
  app.use('/exports/redirects', cors, redirectsExportRoute({ reader, config, clock, log, tokens }));
  app.use('/exports', cors, exportsRoute({ reader, config, clock, log, tokens }));
  // Feeds and sitemaps (README "Feeds and sitemaps").
  // Feeds and sitemaps carry the keys of what they list, as /graphql answers do (README "Caching").
  const tagHeader = config.caching.tagHeader;
  const cacheTags = tagHeader
    ? (res: http.ServerResponse, keys: readonly string[]) => {
        const value = cacheTagValue(keys, tagHeader, config.caching.tagMaxBytes);
        if (value !== null) res.setHeader(tagHeader.toLowerCase(), value);
      }
    : undefined;
  app.use(
    feedRoutes({
      config,
      reader,
      clock,
      log,
      views,
      publications: options.publications,
      cacheTags,
    }),
  );
  // The local explorer (GraphiQL and its files), wherever the Sandbox landing page is on.
  if (config.sandbox)
    app.use(explorerPath, explorerRoutes({ queriesDir: config.explorerQueriesDir }));
  app.use(notFoundHandler());
  app.use(expressErrorHandler(log));

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
      return drain.draining;
    },
    stop: async () => {
      drain.startDraining();
      if (config.shutdownDelayMs > 0) {
        await new Promise(resolve => setTimeout(resolve, config.shutdownDelayMs));
      }
      await apollo.stop();
    },
  };
}

/** The node:http server with the gateway's timeouts and connection cap. */
function nodeServer(config: Config, handler: http.RequestListener): http.Server {
  const server = http.createServer(
    {
      // A request must arrive in full within HTTP_REQUEST_TIMEOUT_MS (its headers within
      // HTTP_HEADERS_TIMEOUT_MS), else node:http answers 408 and closes the socket. Node checks
      // the timeouts every connectionsCheckingInterval (30 s by default); every second instead,
      // so that a slow client is cut within a second of its timeout.
      requestTimeout: config.http.requestTimeoutMs,
      headersTimeout: config.http.headersTimeoutMs,
      connectionsCheckingInterval: 1000,
    },
    handler,
  );
  server.keepAliveTimeout = config.http.keepAliveTimeoutMs;
  // Beyond the cap node:http closes a new connection as soon as it is accepted.
  server.maxConnections = config.http.maxConnections;
  return server;
}
