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
  'CONFLICT',
  'SERVICE_UNAVAILABLE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Extensions a client may see beside the code: what a limit was and what arrived; the input field
 * at fault (BAD_USER_INPUT); the current version of what a stale write tried to change (CONFLICT);
 * that a `changes` cursor must resync (BAD_USER_INPUT).
 */
const publicExtensions = [
  'limit',
  'maximum',
  'value',
  'retryAfterSeconds',
  'field',
  'currentRevision',
  'updatedAt',
  'resync',
] as const;

// graphql-js appends suggestions as ` Did you mean "x"?` or ` Did you mean "x", "y", or "z"?`.
const suggestion = /\s*Did you mean [^?]*\?/g;

export interface ErrorFormatterOptions {
  /** Strips "Did you mean ...?" from messages (production: suggestions reveal the schema). */
  hideSuggestions?: boolean;
}

/**
 * The code of an error a client may read as it is, or null for a failure to be masked: a GraphQL
 * error with a known code; or one that Apollo throws with an HTTP 4xx status and no code (automatic
 * persisted queries: "provided sha does not match query", "Unsupported persisted query version"),
 * which is the client's BAD_REQUEST.
 */
export function clientErrorCode(error: unknown): string | null {
  const original = unwrapResolverError(error);
  if (!(original instanceof GraphQLError)) return null;
  const { code, http } = original.extensions as { code?: unknown; http?: { status?: unknown } };
  if (code === undefined) {
    const status = http?.status;
    return typeof status === 'number' && status >= 400 && status < 500 ? 'BAD_REQUEST' : null;
  }
  return typeof code === 'string' && publicCodes.has(code) ? code : null;
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
    const code = clientErrorCode(error);
    if (code !== null) {
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
