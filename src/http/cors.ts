import type http from 'node:http';
import cors from 'cors';
import { GraphQLError } from 'graphql';
import type { CorsSettings } from '../config';
import { sendRefusal } from './httpGuards';

/** A CORS layer: sets the headers, answers a preflight itself, else calls next. */
export type CorsLayer = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  next: () => void,
) => void;

/**
 * The headers a browser client may send: what Apollo Client sends (content-type: application/json,
 * its client-awareness headers, and apollo-require-preflight or x-apollo-operation-name where a
 * GET must pass CSRF prevention), the README's Authorization and X-Request-Id.
 */
export const corsAllowedHeaders = [
  'content-type',
  'authorization',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  'x-request-id',
] as const;

/**
 * The answer headers a page may read besides the CORS-safelisted ones: the request id (for an
 * error report), Retry-After (429 and 503) and the export's file name. The gateway sends no
 * RateLimit-* headers.
 */
export const corsExposedHeaders = ['x-request-id', 'retry-after', 'content-disposition'] as const;

/** How long a browser may keep a preflight's answer (Chromium caps it at 2 hours, Firefox at 24). */
export const corsMaxAgeSeconds = 600;

/**
 * The one CORS policy of /graphql, POST /views and /exports, built once from CORS_ORIGINS with
 * the `cors` package. A listed origin is answered with itself in Access-Control-Allow-Origin and
 * with credentials allowed (navigator.sendBeacon always sends in credentials mode "include");
 * `*` allows every origin without credentials. A preflight (OPTIONS with Origin and
 * Access-Control-Request-Method) of a listed origin is answered 204 here, before the route's
 * method check and Apollo's CSRF prevention; one of an unlisted origin is 403 FORBIDDEN, without
 * Access-Control-Allow-Origin, naming CORS_ORIGINS. Any other request goes on to the route, with
 * the CORS headers where its origin is listed and none where not. Every answer of a listing policy
 * says Vary: Origin, so a cache never hands one origin's answer to another.
 */
export function corsLayer(settings: CorsSettings): CorsLayer {
  const common = {
    methods: ['GET', 'POST'],
    allowedHeaders: [...corsAllowedHeaders],
    exposedHeaders: [...corsExposedHeaders],
    maxAge: corsMaxAgeSeconds,
  };
  // origin: true reflects the request's Origin, which isAllowed has checked first.
  const listed = cors({ ...common, origin: true, credentials: true });
  const any = cors({ ...common, origin: '*', credentials: false });
  const exact = new Set(settings.origins);
  const isAllowed = (origin: string) =>
    exact.has(origin) || anyPortAllows(settings.anyPort, origin);

  return (req, res, next) => {
    const origin = req.headers.origin;
    const preflight =
      req.method === 'OPTIONS' &&
      origin !== undefined &&
      req.headers['access-control-request-method'] !== undefined;
    // An OPTIONS that is not a preflight is left to the route (405 with Allow), as before.
    const run = (layer: typeof listed) =>
      req.method === 'OPTIONS' && !preflight ? next() : layer(req, res, next);
    if (settings.anyOrigin) {
      run(any);
      return;
    }
    if (origin !== undefined && isAllowed(origin)) {
      run(listed);
      return;
    }
    varyOnOrigin(res);
    if (preflight) {
      sendRefusal(res, {
        status: 403,
        error: new GraphQLError(
          `The origin ${JSON.stringify(origin.slice(0, 100))} may not call this API from a browser; list it in CORS_ORIGINS.`,
          { extensions: { code: 'FORBIDDEN' } },
        ),
      });
      return;
    }
    next();
  };
}

/** Adds Origin to the answer's Vary header (as the cors package does for a listed origin). */
function varyOnOrigin(res: http.ServerResponse): void {
  const current = res.getHeader('vary');
  if (current === undefined) res.setHeader('vary', 'Origin');
  else if (!/(^|,)\s*(origin|\*)\s*(,|$)/i.test(String(current))) {
    res.setHeader('vary', `${String(current)}, Origin`);
  }
}

/** Whether origin is one of the bases with a port, or without: http://localhost:5173. */
function anyPortAllows(bases: readonly string[], origin: string): boolean {
  for (const base of bases) {
    if (origin === base) return true;
    if (origin.startsWith(base) && /^:\d{1,5}$/.test(origin.slice(base.length))) return true;
  }
  return false;
}
