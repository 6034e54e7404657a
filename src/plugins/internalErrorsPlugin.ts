import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import type { Context } from '../context';
import { internalErrorMessage, isClientError } from './errorFormatter';

/**
 * Unexpected failures: logs each with its request id and detail (errorFormatter has masked it in
 * the answer) and gives the masked errors of the answer that request id, so a report from a client
 * finds its log line.
 */
export function internalErrorsPlugin(log: Logger): ApolloServerPlugin<Context> {
  return {
    async contextCreationDidFail({ error }) {
      log.error({ err: error }, 'unexpected error while making the request context');
    },
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (isClientError(error, error.extensions?.code)) continue;
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
