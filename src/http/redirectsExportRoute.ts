import { once } from 'node:events';
import express from 'express';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { sendInternalError, sendRefusal } from './httpGuards';
import { requestIdOf } from './incomingRequest';
import { type TokenVerifier, viewerFromAuthorization } from '../access/apiTokens';
import { requireScope } from '../access/requireScope';
import {
  redirectMapFormats,
  type RedirectMapFormat,
  redirectMapHeader,
  redirectMapLines,
  redirectMapPages,
} from '../content/redirects/redirectMap';
import type { SqlReader } from '../db/SqlReader';
import { BadUserInputError } from '../errors/BadUserInputError';
import type { Clock } from '../ops/clock';

export interface RedirectsExportRouteOptions {
  reader: SqlReader;
  config: Config;
  clock: Clock;
  log: Logger;
  tokens: TokenVerifier;
}

const statusOf: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  SERVICE_UNAVAILABLE: 503,
};

const contentTypes: Record<RedirectMapFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  nginx: 'text/plain; charset=utf-8',
  apache: 'text/plain; charset=utf-8',
};

/** format=csv|nginx|apache, the only parameter, at most once. */
function formatOf(url: string): RedirectMapFormat {
  const at = url.indexOf('?');
  const search = new URLSearchParams(at === -1 ? '' : url.slice(at + 1));
  const names = [...search.keys()];
  if (names.some(name => name !== 'format') || search.getAll('format').length > 1) {
    throw new BadUserInputError(
      'The redirects export takes one parameter, format (csv, nginx or apache), at most once.',
    );
  }
  const format = search.get('format') ?? 'csv';
  if (!(redirectMapFormats as readonly string[]).includes(format)) {
    throw new BadUserInputError(
      `format must be csv, nginx or apache, got ${JSON.stringify(format.slice(0, 40))}.`,
    );
  }
  return format as RedirectMapFormat;
}

/**
 * GET /exports/redirects[?format=csv|nginx|apache]: the redirect map of the imported site (every
 * old path and earlier slug of a published article and where it leads now, README "Old URLs and
 * redirects") for a web server, streamed page by page. Needs a token with analytics:read, like
 * the views export; refusals are the GraphQL error shape.
 */
export function redirectsExportRoute(options: RedirectsExportRouteOptions): express.Router {
  const { reader, config, clock, log, tokens } = options;
  const router = express.Router();
  router.get('/', async (req, res) => {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    let started = false;
    try {
      const now = clock();
      const viewer = await viewerFromAuthorization(tokens, req.get('authorization'), now, reader);
      requireScope(viewer, 'analytics:read');
      const format = formatOf(req.originalUrl);
      const pages = redirectMapPages(reader, now, config.feeds.articleUrlPattern);
      const first = await pages.next();
      res.status(200);
      res.setHeader('cache-control', 'private, no-store');
      res.setHeader('content-type', contentTypes[format]);
      res.setHeader(
        'content-disposition',
        `attachment; filename="redirects.${format === 'csv' ? 'csv' : format === 'nginx' ? 'map' : 'txt'}"`,
      );
      started = true;
      const write = async (chunk: string) => {
        if (chunk !== '' && !res.write(chunk)) await once(res, 'drain');
      };
      await write(redirectMapHeader(format));
      if (!first.done) await write(redirectMapLines(first.value, format));
      for await (const page of pages) {
        if (res.destroyed) break;
        await write(redirectMapLines(page, format));
      }
      res.end();
    } catch (error) {
      const code = error instanceof GraphQLError ? error.extensions.code : undefined;
      if (!started && typeof code === 'string' && Object.hasOwn(statusOf, code)) {
        if (code === 'UNAUTHENTICATED') res.setHeader('www-authenticate', 'Bearer');
        sendRefusal(res, { status: statusOf[code], error: error as GraphQLError });
        return;
      }
      log.error({ err: error, requestId, path: '/exports/redirects' }, 'redirects export failed');
      sendInternalError(res, requestId);
    }
  });
  return router;
}
