import type http from 'node:http';
import { type TokenVerifier, viewerFromAuthorization } from '../access/apiTokens';
import type { Config } from '../config';
import type { EditorialServices } from '../content/editorial/editorialServices';
import { type Context, createContext } from '../context';
import { clientIp, headerOf, requestProtocol, type TrustProxy } from './incomingRequest';
import type { SqlReader } from '../db/SqlReader';
import type { Clock } from '../ops/clock';
import type { RequestScope } from '../ops/requestScope';
import type { ViewServices } from '../views/viewServices';

export interface RequestContextOptions {
  config: Config;
  reader: SqlReader;
  clock: Clock;
  tokens: TokenVerifier;
  views: ViewServices;
  trustProxy: TrustProxy;
  editorial: EditorialServices;
}

/** The context of each /graphql request, with the one clock reading the whole request uses. */
export type RequestContextFactory = (
  req: http.IncomingMessage,
  requestId: string,
) => Promise<Context>;

/**
 * Builds each request's context: its scope (id, statements, client address), its viewer (the
 * token behind Authorization, checked at the request's "now"), its base URL and, for recordView's
 * guard only, the client's facts (hashed with a daily salt, never stored or logged).
 */
export function requestContextFactory(options: RequestContextOptions): RequestContextFactory {
  const { config, reader, clock, tokens, views, trustProxy, editorial } = options;
  return async (req, requestId) => {
    const now = clock();
    const ip = clientIp(req, trustProxy);
    const scope: RequestScope = { requestId, statements: 0, clientIp: ip };
    const viewer = await viewerFromAuthorization(
      tokens,
      headerOf(req, 'authorization'),
      now,
      reader.counting(scope),
    );
    return createContext({
      reader,
      scope,
      config,
      clock,
      now,
      baseUrl: `${requestProtocol(req, trustProxy)}://${req.headers.host ?? 'localhost'}`,
      viewer,
      views,
      editorial,
      request: {
        ip: ip ?? null,
        userAgent: headerOf(req, 'user-agent') ?? null,
        purpose: headerOf(req, 'sec-purpose') ?? headerOf(req, 'purpose') ?? null,
      },
    });
  };
}
