import type express from 'express';
import { GraphQLError } from 'graphql';
import type { QueryLimits } from './config';
import { QueryTooComplexError } from './errors/QueryTooComplexError';
import type { Metrics } from './services/metrics';
import { checkQuerySource } from './services/queryLimits';

/** A GraphQL-shaped error answer for requests refused before Apollo sees them. */
function sendError(res: express.Response, status: number, error: GraphQLError): void {
  const code = String(error.extensions.code);
  const { http: _http, ...extensions } = error.extensions;
  res
    .status(status)
    .set('cache-control', 'private, no-store')
    .json({ errors: [{ message: error.message, extensions: { ...extensions, code } }] });
}

/**
 * Checks the query text's length and tokens before Apollo parses it (GET ?query= or a POSTed
 * object's query). Batched arrays and bodies without a query are left to Apollo, which refuses them.
 */
export function querySourceGuard(limits: QueryLimits, metrics: Metrics): express.RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    const query =
      req.method === 'GET'
        ? req.query.query
        : body && typeof body === 'object' && !Array.isArray(body)
          ? (body as { query?: unknown }).query
          : undefined;
    if (typeof query !== 'string') {
      next();
      return;
    }
    try {
      checkQuerySource(query, limits);
      next();
    } catch (error) {
      if (!(error instanceof QueryTooComplexError)) throw error;
      metrics.rejectedQueries.inc({ limit: error.limit });
      sendError(res, 400, error);
    }
  };
}

/** body-parser's errors (too large, malformed JSON, bad charset) as GraphQL-shaped JSON answers. */
export function bodyErrorHandler(
  limits: QueryLimits,
  metrics: Metrics,
): express.ErrorRequestHandler {
  return (error: { type?: string; status?: number; length?: number }, _req, res, next) => {
    if (error.type === 'entity.too.large') {
      metrics.rejectedQueries.inc({ limit: 'body_size' });
      const size = error.length ?? NaN;
      sendError(
        res,
        413,
        new QueryTooComplexError(
          'body_size',
          `Request body is ${size} bytes; the limit is ${limits.bodyLimitBytes} (REQUEST_BODY_LIMIT_BYTES).`,
          { maximum: limits.bodyLimitBytes, value: size },
        ),
      );
      return;
    }
    if (typeof error.type === 'string' && error.type.startsWith('entity.')) {
      sendError(
        res,
        400,
        new GraphQLError(
          'Request body must be a JSON object with a query string, got malformed JSON.',
          {
            extensions: { code: 'BAD_REQUEST' },
          },
        ),
      );
      return;
    }
    if (error.type) {
      sendError(
        res,
        error.status && error.status >= 400 && error.status < 500 ? error.status : 400,
        new GraphQLError(`Request body could not be read (${error.type}).`, {
          extensions: { code: 'BAD_REQUEST' },
        }),
      );
      return;
    }
    next(error);
  };
}
