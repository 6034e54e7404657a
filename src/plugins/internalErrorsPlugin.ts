import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import type { Context } from '../context';
import { clientErrorCode, internalErrorMessage } from './errorFormatter';

/**
 * Unexpected failures: logs each with its request id and detail (errorFormatter has masked it in
 * the answer) and gives the masked errors of the answer that request id, so a report from a client
 * finds its log line. A failure to make the request context, which has no request id here, is
 * logged and answered by graphqlRoute.
 */
export function internalErrorsPlugin(log: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (clientErrorCode(error) !== null) continue;
            log.error(
              {
                err: unwrapResolverError(error),
                requestId: contextValue.scope.requestId,
                path: error.path,
              },
              'unexpected error',
            );
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const requestId = contextValue.scope.requestId;
          const errors = response.body.singleResult.errors;
          if (!errors?.some(error => error.extensions?.code === 'INTERNAL_SERVER_ERROR')) return;
          response.body.singleResult.errors = errors.map(error =>
            error.extensions?.code === 'INTERNAL_SERVER_ERROR'
              ? {
                  ...error,
                  message: `${internalErrorMessage.slice(0, -1)} (request ${requestId}).`,
                  extensions: { ...error.extensions, requestId },
                }
              : error,
          );
        },
      };
    },
  };
}
