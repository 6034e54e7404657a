import type http from 'node:http';
import zlib from 'node:zlib';
import { type ApolloServer, HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import bodyParser from 'body-parser';
import etag from 'etag';
import fresh from 'fresh';
import type { Logger } from 'pino';
import type { QueryLimits } from '../config';
import type { Context } from '../context';
import {
  type BodyError,
  type BodyRules,
  bodyRefusal,
  methodRefusal,
  querySourceRefusal,
  sendInternalError,
  sendRefusal,
} from './httpGuards';
import { headerOf, requestIdOf } from './incomingRequest';
import type { ResponseCache } from './responseCache';
import type { Metrics } from '../ops/metrics';
import { clientErrorCode } from '../plugins/errorFormatter';

export interface GraphqlRouteOptions {
  apollo: ApolloServer<Context>;
  limits: QueryLimits;
  metrics: Metrics;
  log: Logger;
  /** The context of a request whose body has been read and checked. */
  context: (req: http.IncomingMessage, requestId: string) => Promise<Context>;
  /** The gateway's cache of public answers (RESPONSE_CACHE), if on. */
  responseCache?: ResponseCache;
}

// What body-parser decodes (zstd only on a Node.js that has it).
const encodings = [
  'identity',
  'gzip',
  'deflate',
  'br',
  ...('createZstdDecompress' in zlib ? ['zstd'] : []),
];

/** Whether a request is for the GraphQL endpoint: /graphql or /graphql/, with or without a query. */
export function isGraphqlRequest(req: http.IncomingMessage): boolean {
  const url = req.url ?? '';
  if (!url.startsWith('/graphql')) return false;
  const rest = url.charAt(8);
  return rest === '' || rest === '?' || (rest === '/' && (url.length === 9 || url[9] === '?'));
}

/**
 * /graphql on node:http: the request id, the JSON body (body-parser, as express.json reads it),
 * the query-text limits, then Apollo Server, whose answer is written with a weak ETag and 304 for
 * a fresh GET, as express's res.send does. Express's router and request objects cost more than a
 * small operation (README "Performance"), so the server hands /graphql here before express.
 */
export function graphqlRoute(
  options: GraphqlRouteOptions,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const { apollo, limits, metrics, log, context, responseCache } = options;
  const parseJson = bodyParser.json({ limit: limits.bodyLimitBytes });
  const bodyRules: BodyRules = {
    limitBytes: limits.bodyLimitBytes,
    limitSource: 'REQUEST_BODY_LIMIT_BYTES',
    encodings,
  };

  // Every unexpected failure of a request, the request context's included: logged with the
  // request id, answered masked with it.
  const fail = (res: http.ServerResponse, requestId: string, error: unknown) => {
    log.error({ err: error, requestId, path: '/graphql' }, 'unexpected http error');
    sendInternalError(res, requestId);
  };

  async function execute(req: http.IncomingMessage, res: http.ServerResponse, requestId: string) {
    const url = req.url ?? '';
    const at = url.indexOf('?');
    const search = at === -1 ? '' : url.slice(at);
    const method = (req.method ?? 'GET').toUpperCase();
    const body: unknown = (req as { body?: unknown }).body;
    const query =
      method === 'GET'
        ? new URLSearchParams(search).get('query')
        : body && typeof body === 'object' && !Array.isArray(body)
          ? (body as { query?: unknown }).query
          : undefined;
    const refusal = querySourceRefusal(query, limits, metrics);
    if (refusal) {
      sendRefusal(res, refusal);
      return;
    }
    // A public answer kept by the response cache costs no Apollo, resolver or SQL (README "Caching").
    const cacheKey = responseCache?.keyOf(req, method, search, body) ?? null;
    const stored = cacheKey === null ? null : await responseCache!.lookup(cacheKey);
    if (stored) {
      for (const [name, value] of responseCache!.hitHeaders(stored)) res.setHeader(name, value);
      res.statusCode = stored.status;
      writeText(req, res, method, stored.body);
      return;
    }
    const mark = responseCache?.mark ?? 0;
    let created: Context | undefined;
    const headers = new HeaderMap();
    for (const key of Object.keys(req.headers)) {
      const value = headerOf(req, key);
      if (value !== undefined) headers.set(key, value);
    }
    // Apollo answers a failed context factory (the token check with the database down) with a
    // masked error of its own, without the request id: that failure is answered here instead.
    const contextFailure: { error?: unknown } = {};
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search, body },
      context: async () => {
        try {
          created = await context(req, requestId);
          return created;
        } catch (error) {
          if (clientErrorCode(error) === null) contextFailure.error = error;
          throw error;
        }
      },
    });
    if ('error' in contextFailure) {
      fail(res, requestId, contextFailure.error);
      return;
    }
    // Stored while the answer is sent; only public answers are (ResponseCache.store).
    const storing =
      cacheKey !== null && created
        ? responseCache!.store(cacheKey, mark, response, created.keys.keys)
        : null;
    await send(req, res, method, response);
    await storing?.catch((error: unknown) =>
      log.warn({ err: error, requestId }, 'response cache store failed'),
    );
  }

  return (req, res) => {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    const wrongMethod = methodRefusal(req.method, '/graphql', ['GET', 'POST']);
    if (wrongMethod) {
      // Read off the body, if any, so that the connection can serve the next request.
      req.resume();
      sendRefusal(res, wrongMethod);
      return;
    }
    parseJson(req, res, (error?: unknown) => {
      if (error) {
        const refusal = bodyRefusal(error as BodyError, bodyRules, metrics);
        if (refusal) sendRefusal(res, refusal);
        else fail(res, requestId, error);
        return;
      }
      execute(req, res, requestId).catch((failure: unknown) => fail(res, requestId, failure));
    });
  };
}

/** Writes Apollo's answer; a GET's carries a weak ETag, and is a bodiless 304 where it is fresh. */
async function send(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  method: string,
  response: HTTPGraphQLResponse,
): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'chunked') {
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
    return;
  }
  writeText(req, res, method, response.body.string);
}

/** Writes a complete answer; a GET's carries a weak ETag, and is a bodiless 304 where it is fresh. */
function writeText(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  method: string,
  text: string,
): void {
  if ((method === 'GET' || method === 'HEAD') && res.statusCode >= 200 && res.statusCode < 300) {
    const tag = etag(text, { weak: true });
    res.setHeader('etag', tag);
    if (fresh(req.headers, { etag: tag })) {
      res.statusCode = 304;
      res.removeHeader('content-type');
      res.end();
      return;
    }
  }
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}
