import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { Context } from '../context';

/**
 * One structured log line per GraphQL request: request id, operation name and type, HTTP status,
 * duration, cost, SQL statements and error codes. Never the client's IP, the Authorization header or
 * the variables: those can hold personal data, and the query text is identified by its hash instead.
 */
export function loggingPlugin(log: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ response, operation, operationName, queryHash, contextValue }) {
          const scope = contextValue?.scope;
          const errors =
            response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes = errors.map(error =>
            String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
          );
          const status = response.http.status ?? 200;
          const entry = {
            requestId: scope?.requestId,
            operationName: operationName ?? null,
            operationType: operation?.operation ?? null,
            queryHash: queryHash ?? null,
            status,
            durationMs: Number(process.hrtime.bigint() - started) / 1e6,
            cost: scope?.cost ?? null,
            sqlStatements: scope?.statements ?? 0,
            errorCodes: codes.length ? [...new Set(codes)] : undefined,
          };
          if (codes.includes('INTERNAL_SERVER_ERROR')) log.error(entry, 'graphql request');
          else log.info(entry, 'graphql request');
        },
      };
    },
  };
}
