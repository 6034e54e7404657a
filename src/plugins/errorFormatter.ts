import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The codes a client may see with their own message; anything else is masked. */
const publicCodes = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Extensions a client may see beside the code: what a limit was and what arrived. */
const publicExtensions = ['limit', 'maximum', 'value', 'retryAfterSeconds'] as const;

// graphql-js appends suggestions as ` Did you mean "x"?` or ` Did you mean "x", "y", or "z"?`.
const suggestion = /\s*Did you mean [^?]*\?/g;

export interface ErrorFormatterOptions {
  /** Strips "Did you mean ...?" from messages (production: suggestions reveal the schema). */
  hideSuggestions?: boolean;
}

/** Whether an error is one a client may read as it is (a known code), rather than a failure. */
export function isClientError(error: unknown, code: unknown): boolean {
  return (
    typeof code === 'string' &&
    publicCodes.has(code) &&
    unwrapResolverError(error) instanceof GraphQLError
  );
}

/** The message of a masked failure; internalErrorsPlugin adds the request id. */
export const internalErrorMessage = 'Internal server error.';

/**
 * Apollo's formatError: known client errors pass as they are (without stack traces); anything
 * unexpected becomes INTERNAL_SERVER_ERROR. internalErrorsPlugin logs its detail with the request
 * id and puts the id in the answer.
 */
export function errorFormatter(options: ErrorFormatterOptions = {}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (isClientError(error, code)) {
      const extensions: Record<string, unknown> = { code };
      for (const key of publicExtensions) {
        if (formatted.extensions?.[key] !== undefined) extensions[key] = formatted.extensions[key];
      }
      return {
        message: options.hideSuggestions
          ? formatted.message.replace(suggestion, '')
          : formatted.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions,
      };
    }
    return {
      message: internalErrorMessage,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
