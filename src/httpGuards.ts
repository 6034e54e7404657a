import type http from 'node:http';
import { GraphQLError } from 'graphql';
import type { QueryLimits } from './config';
import { QueryTooComplexError } from './errors/QueryTooComplexError';
import type { Metrics } from './services/metrics';
import { checkQuerySource } from './services/queryLimits';

/** A refusal made before Apollo sees the request: the HTTP status and the error to send. */
export interface Refusal {
  status: number;
  error: GraphQLError;
}

/** Sends a GraphQL-shaped error answer that no cache may keep (a refusal, or a masked failure). */
export function sendRefusal(res: http.ServerResponse, { status, error }: Refusal): void {
  const code = String(error.extensions.code);
  const { http: _http, ...extensions } = error.extensions;
  const text = JSON.stringify({
    errors: [{ message: error.message, extensions: { ...extensions, code } }],
  });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'private, no-store',
  });
  res.end(text);
}

/**
 * Checks the query text's length and tokens before Apollo parses it (GET ?query= or a POSTed
 * object's query). Batched arrays and bodies without a query are left to Apollo, which refuses them.
 */
export function querySourceRefusal(
  query: unknown,
  limits: QueryLimits,
  metrics: Metrics,
): Refusal | null {
  if (typeof query !== 'string') return null;
  try {
    checkQuerySource(query, limits);
    return null;
  } catch (error) {
    if (!(error instanceof QueryTooComplexError)) throw error;
    metrics.rejectedQueries.inc({ limit: error.limit });
    return { status: 400, error };
  }
}

/**
 * body-parser's errors (too large, malformed JSON, bad charset or encoding) as GraphQL-shaped
 * refusals; null for any other error, which is the server's fault.
 */
export function bodyRefusal(
  error: { type?: string; status?: number; length?: number },
  limits: QueryLimits,
  metrics: Metrics,
): Refusal | null {
  if (error.type === 'entity.too.large') {
    metrics.rejectedQueries.inc({ limit: 'body_size' });
    const size = error.length ?? NaN;
    return {
      status: 413,
      error: new QueryTooComplexError(
        'body_size',
        `Request body is ${size} bytes; the limit is ${limits.bodyLimitBytes} (REQUEST_BODY_LIMIT_BYTES).`,
        { maximum: limits.bodyLimitBytes, value: size },
      ),
    };
  }
  if (typeof error.type === 'string' && error.type.startsWith('entity.')) {
    return {
      status: 400,
      error: new GraphQLError(
        'Request body must be a JSON object with a query string, got malformed JSON.',
        { extensions: { code: 'BAD_REQUEST' } },
      ),
    };
  }
  if (error.type) {
    return {
      status: error.status && error.status >= 400 && error.status < 500 ? error.status : 400,
      error: new GraphQLError(`Request body could not be read (${error.type}).`, {
        extensions: { code: 'BAD_REQUEST' },
      }),
    };
  }
  return null;
}
