import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { hitRateLimit, type RateLimiter } from '../access/rateLimiter';
import type { RateLimits } from '../config';
import type { Context } from '../context';
import { fieldsAtLevel, walkOperation } from './operationFields';
import { RateLimitedError } from '../errors/RateLimitedError';
import type { Clock } from '../ops/clock';
import type { Metrics } from '../ops/metrics';

export interface RateLimitPluginOptions {
  limits: RateLimits;
  limiter: RateLimiter;
  metrics: Metrics;
  clock: Clock;
}

/**
 * How many views a mutation asks for: its recordView fields at the root, through inline fragments
 * and fragment spreads, one per response key (aliases may repeat it; fields with one key run once),
 * @skip and @include applied.
 */
export function recordViewCount(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): number {
  if (operation.operation !== 'mutation') return 0;
  const { root } = walkOperation(schema, document, operation, variables);
  return fieldsAtLevel(root).filter(field => field.name === 'recordView').length;
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
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          let views: number;
          try {
            views = recordViewCount(schema, document, operation, request.variables);
          } catch {
            // Variables that do not coerce: the request is refused before it runs (queryLimitsPlugin)
            // and counts once, as a request.
            views = 0;
          }
          const refusal = await hitRateLimit(
            limiter,
            limits,
            { tokenName: contextValue.viewer.tokenName, ip: contextValue.scope.clientIp },
            views,
            clock().getTime(),
          );
          if (!refusal) return;
          metrics.rateLimited.inc({ bucket: refusal.bucket });
          throw new RateLimitedError(refusal.message, refusal.retryAfterSeconds);
        },
      };
    },
  };
}
