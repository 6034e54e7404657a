import type http from 'node:http';
import { GraphQLError } from 'graphql';
import type { QueryLimits } from '../config';
import { QueryTooComplexError } from '../errors/QueryTooComplexError';
import type { Metrics } from '../ops/metrics';
import { checkQuerySource } from '../plugins/queryLimits';

/** A refusal made before Apollo sees the request: the HTTP status, the error, any extra headers. */
export interface Refusal {
  status: number;
  error: GraphQLError;
  headers?: Readonly<Record<string, string>>;
}

/**
 * The one way an HTTP route answers an error: the GraphQL error shape
 * `{errors: [{message, extensions: {code, ...}}]}`, which no cache may keep.
 */
export function sendRefusal(res: http.ServerResponse, { status, error, headers }: Refusal): void {
  const code = String(error.extensions.code);
  const { http: _http, ...extensions } = error.extensions;
  const text = JSON.stringify({
    errors: [{ message: error.message, extensions: { ...extensions, code } }],
  });
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'private, no-store',
  });
  res.end(text);
}

/** The masked answer to an unexpected failure: the request id, and nothing of the failure itself. */
export function internalError(requestId: string): GraphQLError {
  return new GraphQLError(`Internal server error (request ${requestId}).`, {
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
  });
}

/**
 * Answers an unexpected failure on any HTTP route (500 unless told otherwise): the masked
 * INTERNAL_SERVER_ERROR with the request id in the message, the extensions and X-Request-Id, so a
 * client's report finds the log line the caller wrote with that id. Where the answer has begun,
 * the connection is closed instead, so the client cannot take a part for the whole.
 */
export function sendInternalError(res: http.ServerResponse, requestId: string, status = 500): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.setHeader('x-request-id', requestId);
  sendRefusal(res, { status, error: internalError(requestId) });
}

/**
 * 405 for a method a route does not serve (TRACE, and an OPTIONS that is not a CORS preflight:
 * src/http/cors.ts answers those first), with Allow; HEAD is served where GET is. Null for an allowed method.
 */
export function methodRefusal(
  method: string | undefined,
  path: string,
  allowed: readonly string[],
): Refusal | null {
  const name = (method ?? 'GET').toUpperCase();
  if (allowed.includes(name) || (name === 'HEAD' && allowed.includes('GET'))) return null;
  return {
    status: 405,
    headers: { allow: allowed.join(', ') },
    error: new GraphQLError(
      `${JSON.stringify(name.slice(0, 20))} is not a method of ${path}; send ${allowed.join(' or ')}.`,
      { extensions: { code: 'BAD_REQUEST' } },
    ),
  };
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

/** How a route reads request bodies: the limit and the content encodings it decodes. */
export interface BodyRules {
  /** Largest body in bytes, counted after decoding. */
  limitBytes: number;
  /** Where the limit is set, named in the refusal: a setting, or "fixed" for a route's own. */
  limitSource: string;
  /** The Content-Encodings read, named in the refusal of any other. */
  encodings: readonly string[];
}

/** What body-parser (and raw-body, http-errors) put on the errors it passes on. */
export interface BodyError {
  type?: string;
  status?: number;
  /** The body's declared length (Content-Length), where there was one. */
  length?: number;
  /** The bytes read (after decoding) when reading stopped. */
  received?: number;
  /** zlib's error code of a body that its Content-Encoding does not decode. */
  code?: string;
  message?: string;
  encoding?: string;
  charset?: string;
}

/** zlib's (Z_DATA_ERROR, Z_BUF_ERROR) and brotli's (ERR__ERROR_FORMAT_...) error codes. */
const decodingErrorCode = /^(Z_|ERR__ERROR_)/;

const badRequest = (status: number, message: string): Refusal => ({
  status,
  error: new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } }),
});

/**
 * The one mapping of request-body errors to answers, for every route that reads a body (body-parser's
 * errors, or the same shapes from a route that reads its body by hand): too large 413
 * QUERY_TOO_COMPLEX with the bytes that arrived; an unsupported encoding or charset 415; a body that
 * its Content-Encoding does not decode, malformed JSON or a short body 400 BAD_REQUEST. Null for any
 * other error, which is the server's fault.
 */
export function bodyRefusal(error: BodyError, rules: BodyRules, metrics: Metrics): Refusal | null {
  const status = error.status ?? 500;
  if (status < 400 || status >= 500) return null;
  switch (error.type) {
    case 'entity.too.large': {
      metrics.rejectedQueries.inc({ limit: 'body_size' });
      // raw-body refuses a declared Content-Length over the limit before reading, and stops
      // reading a compressed or chunked body once it has passed the limit.
      const declared = typeof error.length === 'number' && Number.isFinite(error.length);
      const size = declared ? (error.length as number) : (error.received ?? rules.limitBytes + 1);
      return {
        status: 413,
        error: new QueryTooComplexError(
          'body_size',
          declared
            ? `Request body is ${size} bytes; the limit is ${rules.limitBytes} (${rules.limitSource}).`
            : `Request body is over the limit of ${rules.limitBytes} bytes (${rules.limitSource}): reading stopped at ${size} bytes.`,
          { maximum: rules.limitBytes, value: size },
        ),
      };
    }
    case 'encoding.unsupported':
      return badRequest(
        415,
        `The body's content encoding ${JSON.stringify(String(error.encoding ?? '').slice(0, 40))} is not supported here; send one of: ${rules.encodings.join(', ')}.`,
      );
    case 'charset.unsupported':
      return badRequest(
        415,
        `The body's charset ${JSON.stringify(String(error.charset ?? '').slice(0, 40))} is not supported; send UTF-8.`,
      );
    case 'entity.parse.failed':
      return badRequest(
        400,
        'Request body must be a JSON object with a query string, got malformed JSON.',
      );
    case 'request.size.invalid':
      return badRequest(
        400,
        `Request body is ${error.received} bytes, where its Content-Length said ${error.length}.`,
      );
    case undefined:
      // body-parser passes a decoding stream's error on as 400 without a type.
      if (typeof error.code === 'string' && decodingErrorCode.test(error.code)) {
        return badRequest(
          400,
          `Request body does not match its Content-Encoding: ${String(error.message).slice(0, 100)}.`,
        );
      }
      return badRequest(400, 'Request body could not be read.');
    default:
      return badRequest(status, `Request body could not be read (${error.type}).`);
  }
}
