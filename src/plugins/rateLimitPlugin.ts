import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { RateLimits } from '../config';
import type { Clock, Context } from '../context';
import { RateLimitedError } from '../errors/RateLimitedError';
import type { Metrics } from '../services/metrics';
import { clientKey, type RateLimiter } from '../services/rateLimiter';

export interface RateLimitPluginOptions {
  limits: RateLimits;
  limiter: RateLimiter;
  metrics: Metrics;
  clock: Clock;
}

/** How many recordView fields a mutation asks for (aliases may repeat it), counted as that many views. */
export function recordViewCount(operation: OperationDefinitionNode): number {
  if (operation.operation !== 'mutation') return 0;
  return operation.selectionSet.selections.filter(
    selection => selection.kind === Kind.FIELD && selection.name.value === 'recordView',
  ).length;
}

/**
 * Per-client rate limits, checked once the operation is known and before it runs: a request with a
 * valid token counts against the token, any other against the client's IP address (as resolved with
 * TRUST_PROXY). recordView mutations have buckets of their own, so a page that reports its views does
 * not use up the reader's query budget. Over the limit: RATE_LIMITED, HTTP 429, Retry-After.
 */
export function rateLimitPlugin({
  limits,
  limiter,
  metrics,
  clock,
}: RateLimitPluginOptions): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (!operation) return;
          const views = recordViewCount(operation);
          const tokenName = contextValue.viewer.tokenName;
          const ip = contextValue.scope.clientIp ?? 'unknown';
          const byToken = tokenName !== null;
          const bucket = `${views ? 'views_' : ''}${byToken ? 'token' : 'ip'}`;
          const limit = views
            ? byToken
              ? limits.viewsPerToken
              : limits.viewsPerIp
            : byToken
              ? limits.perToken
              : limits.perIp;
          if (limit === 0) return;
          const key = `${bucket}:${clientKey(byToken ? 'token' : 'ip', byToken ? tokenName : ip)}`;
          const result = await limiter.hit(key, Math.max(1, views), limit, clock().getTime());
          if (result.allowed) return;
          metrics.rateLimited.inc({ bucket });
          const what = views ? 'recordView calls' : 'requests';
          const who = byToken ? 'token' : 'IP address';
          throw new RateLimitedError(
            `Too many ${what}: the limit is ${limit} per ${limits.windowSeconds} s for each ${who}, got ${result.count}. Retry after ${result.retryAfterSeconds} s.`,
            result.retryAfterSeconds,
          );
        },
      };
    },
  };
}
