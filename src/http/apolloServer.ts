import type http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageProductionDefault } from '@apollo/server/plugin/landingPage/default';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { RateLimiter } from '../access/rateLimiter';
import type { Config } from '../config';
import type { Context } from '../context';
import { explorerLandingPage } from './explorer';
import type { Clock } from '../ops/clock';
import type { Metrics } from '../ops/metrics';
import { cachePolicyPlugin } from '../plugins/cachePolicyPlugin';
import { cacheTagsPlugin } from '../plugins/cacheTagsPlugin';
import { errorFormatter } from '../plugins/errorFormatter';
import { htmlLandingPagePlugin } from '../plugins/htmlLandingPagePlugin';
import { internalErrorsPlugin } from '../plugins/internalErrorsPlugin';
import { loggingPlugin } from '../plugins/loggingPlugin';
import { metricsPlugin } from '../plugins/metricsPlugin';
import { queryLimitsPlugin } from '../plugins/queryLimitsPlugin';
import { rateLimitPlugin } from '../plugins/rateLimitPlugin';
import { readRoutingPlugin } from '../plugins/readRoutingPlugin';

/** Apollo's cache for automatic persisted queries (Redis when REDIS_URL is set). */
export interface PersistedQueryCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | void>;
}

export interface ApolloOptions {
  config: Config;
  schema: GraphQLSchema;
  log: Logger;
  metrics: Metrics;
  clock: Clock;
  rateLimiter: RateLimiter;
  persistedQueryCache?: PersistedQueryCache;
  /** The next scheduled publication, which caps every public max-age (README "Scheduling"). */
  publications?: { readonly nextAt: number | null };
  /** The server Apollo's drain plugin stops. */
  httpServer: http.Server;
}

/** Apollo Server with the gateway's settings and its plugins, grouped by the phase they act in. */
export function createApollo(options: ApolloOptions): ApolloServer<Context> {
  const { config, schema } = options;
  return new ApolloServer<Context>({
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
    // The order is the order Apollo calls them in: lifecycle, then the answer's cache policy,
    // then what may refuse an operation, then what observes it, then the landing page.
    plugins: [
      ...lifecyclePlugins(options),
      ...cachePolicyPlugins(options),
      ...admissionPlugins(options),
      ...observabilityPlugins(options),
      landingPagePlugin(config),
    ],
  });
}

/**
 * Server start and stop (in-flight requests finish within SHUTDOWN_TIMEOUT_MS), and where a
 * request's reads go.
 */
function lifecyclePlugins({
  httpServer,
  config,
  schema,
}: ApolloOptions): ApolloServerPlugin<Context>[] {
  return [
    ApolloServerPluginDrainHttpServer({
      httpServer,
      stopGracePeriodMillis: config.shutdownTimeoutMs,
    }),
    // Public reads to the read replicas (README "Read replicas"), decided before any resolver runs.
    ...(config.database.type === 'postgres' && config.database.readUrls.length > 0
      ? [readRoutingPlugin(schema)]
      : []),
  ];
}

/**
 * Cache-Control from the operation as a whole, instead of Apollo's per-field cache hints, which
 * instrument every resolved field (measured: see README "Performance").
 */
function cachePolicyPlugins({
  schema,
  config,
  publications,
}: ApolloOptions): ApolloServerPlugin<Context>[] {
  return [
    ApolloServerPluginCacheControlDisabled(),
    cachePolicyPlugin({
      schema,
      defaultMaxAge: config.cacheMaxAgeSeconds,
      shared: {
        sMaxAge: config.caching.sMaxAgeSeconds,
        staleWhileRevalidate: config.caching.staleWhileRevalidateSeconds,
      },
      nextPublicationAt: publications ? () => publications.nextAt : undefined,
    }),
    // The keys of what a public answer contains (README "Caching"), after its Cache-Control.
    ...(config.caching.tagHeader
      ? [
          cacheTagsPlugin({
            header: config.caching.tagHeader,
            maxBytes: config.caching.tagMaxBytes,
          }),
        ]
      : []),
  ];
}

/** What refuses an operation before it runs: rate limits, then depth, aliases and cost. */
function admissionPlugins(options: ApolloOptions): ApolloServerPlugin<Context>[] {
  const { config, schema, metrics, rateLimiter, clock } = options;
  return [
    ...(config.rateLimits.enabled
      ? [rateLimitPlugin({ limits: config.rateLimits, limiter: rateLimiter, metrics, clock })]
      : []),
    queryLimitsPlugin({ schema, limits: config.limits, metrics }),
  ];
}

/** Metrics, the request log line, and the masking of unexpected errors (logged with their id). */
function observabilityPlugins({
  config,
  metrics,
  log,
}: ApolloOptions): ApolloServerPlugin<Context>[] {
  return [
    metricsPlugin({ metrics, exposeStatementCount: !config.production }),
    loggingPlugin(log),
    internalErrorsPlugin(log),
  ];
}

/**
 * Where SANDBOX is on, Apollo Sandbox, or GraphiQL from the gateway where Apollo's CDN cannot be
 * reached (src/http/explorer.ts); nothing in production, else Apollo's production landing page.
 */
function landingPagePlugin(config: Config): ApolloServerPlugin<Context> {
  if (config.sandbox) {
    return htmlLandingPagePlugin(explorerLandingPage({ queriesDir: config.explorerQueriesDir }));
  }
  return config.production
    ? ApolloServerPluginLandingPageDisabled()
    : ApolloServerPluginLandingPageProductionDefault({ footer: false });
}
