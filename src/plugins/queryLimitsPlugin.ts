import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { QueryLimits } from '../config';
import type { Context } from '../context';
import { checkOperation } from './queryLimits';
import { QueryTooComplexError } from '../errors/QueryTooComplexError';
import type { Metrics } from '../ops/metrics';

export interface QueryLimitsPluginOptions {
  schema: GraphQLSchema;
  limits: QueryLimits;
  metrics: Metrics;
}

/**
 * Refuses an operation over the depth, alias, directive or cost limit, or with a `first` outside
 * 1..100, after validation and before execution: no resolver and no SQL runs for it. The cost of an
 * accepted operation is reported in extensions.cost, as GitHub reports rateLimit.cost.
 */
export function queryLimitsPlugin({
  schema,
  limits,
  metrics,
}: QueryLimitsPluginOptions): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let cost: number | undefined;
      return {
        async didResolveOperation({ document, operation, request, contextValue }) {
          if (!operation) return;
          try {
            ({ cost } = checkOperation({
              schema,
              document,
              operation,
              variables: request.variables,
              limits,
            }));
          } catch (error) {
            metrics.rejectedQueries.inc({
              limit: error instanceof QueryTooComplexError ? error.limit : 'first',
            });
            throw error;
          }
          contextValue.scope.cost = cost;
        },
        async willSendResponse({ response }) {
          if (cost === undefined || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = {
            ...result.extensions,
            cost: { requested: cost, maximum: limits.maxCost },
          };
        },
      };
    },
  };
}
