import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { currentRequestScope } from '../services/requestScope';

/** The codes a client may see with their own message; anything else is masked. */
const publicCodes = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo's formatError: known client errors pass as they are (without stack traces); anything
 * unexpected becomes INTERNAL_SERVER_ERROR with the request id, and its detail goes to the log only.
 */
export function errorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    const original = unwrapResolverError(error);
    if (typeof code === 'string' && publicCodes.has(code) && original instanceof GraphQLError) {
      return {
        message: formatted.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code },
      };
    }
    const requestId = currentRequestScope()?.requestId;
    log.error({ err: original, requestId, path: formatted.path }, 'unexpected error');
    return {
      message: `Internal server error (request ${requestId ?? 'unknown'}).`,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
    };
  };
}
