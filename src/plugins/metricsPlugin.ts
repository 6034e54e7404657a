import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import { type Metrics, operationLabel } from '../ops/metrics';

export interface MetricsPluginOptions {
  metrics: Metrics;
  /** Sends the request's SQL statement count as x-sql-statements (not in production). */
  exposeStatementCount: boolean;
}

/** Counts requests, durations and error codes by operation; optionally reports SQL per request. */
export function metricsPlugin({
  metrics,
  exposeStatementCount,
}: MetricsPluginOptions): ApolloServerPlugin<Context> {
  const seen = new Set<string>();
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, response, contextValue }) {
          const operation = operationLabel(operationName, seen);
          metrics.requests.inc({ operation });
          metrics.requestDuration.observe(
            { operation },
            Number(process.hrtime.bigint() - started) / 1e9,
          );
          const errors =
            response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          for (const error of errors ?? []) {
            metrics.errors.inc({ code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
          }
          // contextValue is unset where the request failed before its context was made.
          const scope = contextValue?.scope;
          if (exposeStatementCount && scope) {
            response.http.headers.set('x-sql-statements', String(scope.statements));
          }
        },
      };
    },
  };
}
