import { once } from 'node:events';
import express from 'express';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { sendInternalError, sendRefusal } from './httpGuards';
import { requestIdOf } from './incomingRequest';
import { type TokenVerifier, viewerFromAuthorization } from '../access/apiTokens';
import { requireScope } from '../access/requireScope';
import type { SqlReader } from '../db/SqlReader';
import { Granularity } from '../entities/enums';
import { BadUserInputError } from '../errors/BadUserInputError';
import { NotFoundError } from '../errors/NotFoundError';
import type { Clock } from '../ops/clock';
import {
  bucketRange,
  type ViewSeriesPage,
  type ViewStatsRequest,
  viewSeriesPage,
} from '../views/viewStats';

export interface ExportsRouteOptions {
  reader: SqlReader;
  config: Config;
  clock: Clock;
  log: Logger;
  tokens: TokenVerifier;
}

// Articles read per statement pair while streaming: memory holds one page, whatever the range.
const articlesPerPage = 200;

/** The HTTP status of a client error that carries none of its own (extensions.http). */
const statusOf: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  SERVICE_UNAVAILABLE: 503,
};

/** The parameters of GET /exports/views; anything else is refused. */
const parameterNames = ['from', 'to', 'granularity', 'format', 'slugs'] as const;
type ParameterName = (typeof parameterNames)[number];

// As the content import makes them (src/content/import/contentImport.ts).
const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const maxSlugLength = 200;

/**
 * The parameters of a query string, each at most once, without NUL characters (PostgreSQL text
 * cannot hold one: the export would fail after its first byte), and none but parameterNames.
 * Express's parser would take `slugs=a&slugs=b` as an array and `slugs[x]=a` as another name,
 * which the export then ignored; here each is a BAD_USER_INPUT before anything is sent.
 */
export function exportParameters(url: string): Partial<Record<ParameterName, string>> {
  const at = url.indexOf('?');
  const search = new URLSearchParams(at === -1 ? '' : url.slice(at + 1));
  const found: Partial<Record<ParameterName, string>> = {};
  for (const [name, value] of search) {
    if (!(parameterNames as readonly string[]).includes(name)) {
      throw new BadUserInputError(
        `Unknown parameter ${JSON.stringify(name.slice(0, 40))}; an export takes ${parameterNames.join(', ')} (several slugs as slugs=a,b).`,
      );
    }
    const known = name as ParameterName;
    if (found[known] !== undefined) {
      throw new BadUserInputError(
        `${known} must be given once, got it more than once${known === 'slugs' ? '; list several slugs as slugs=a,b' : ''}.`,
      );
    }
    if (value.includes('\u0000')) {
      throw new BadUserInputError(
        `${known} must not contain the NUL character (U+0000), got one that does.`,
      );
    }
    found[known] = value;
  }
  return found;
}

/** `slugs=a,b`: null for none (every article that has had a view), else each a slug. */
function parseSlugs(value: string | undefined): string[] | null {
  if (value === undefined || value === '') return null;
  const slugs = value.split(',');
  for (const slug of slugs) {
    if (slug.length > maxSlugLength || !slugPattern.test(slug)) {
      throw new BadUserInputError(
        `slugs must be slugs (lower-case letters, digits, single hyphens) separated by commas, got ${JSON.stringify(slug.slice(0, 60))}.`,
      );
    }
  }
  return slugs;
}

function parseInstant(name: string, value: string | undefined): Date {
  if (value === undefined || !/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value)) {
    throw new BadUserInputError(
      `${name} must be a date (2026-01-31) or an ISO-8601 date-time with offset, got ${JSON.stringify(value ?? null)}.`,
    );
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new BadUserInputError(`${name} is not a valid date, got ${JSON.stringify(value)}.`);
  }
  return date;
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One page's rows as CSV or NDJSON lines. */
function pageLines(page: ViewSeriesPage, format: 'csv' | 'ndjson'): string {
  const lines: string[] = [];
  for (const series of page.series) {
    for (const point of series.points) {
      const fields = {
        article_id: series.article.id,
        slug: series.article.slug,
        bucket_start: point.start.toISOString(),
        views: point.views,
        unique_visitors: point.uniqueVisitors,
      };
      lines.push(
        format === 'csv'
          ? `${Object.values(fields).map(csvField).join(',')}\n`
          : `${JSON.stringify(fields)}\n`,
      );
    }
  }
  return lines.join('');
}

/** The export's error answer: the GraphQL error shape and codes, never cached. */
function sendError(res: express.Response, status: number, error: GraphQLError): void {
  if (error.extensions.code === 'UNAUTHENTICATED') res.setHeader('www-authenticate', 'Bearer');
  const head = error.extensions.http as { headers?: Map<string, string> } | undefined;
  for (const [name, value] of head?.headers ?? []) res.setHeader(name, value);
  sendRefusal(res, { status, error });
}

/**
 * GET /exports/views?from=&to=&granularity=day&format=csv|ndjson[&slugs=a,b]: the numbers of
 * Query.viewStats as rows (article_id, slug, bucket_start, views, unique_visitors), one row per
 * article and bucket, streamed page by page with backpressure so memory stays flat. Needs a
 * token with analytics:read, like viewStats. Every parameter is checked and the first page read
 * before the first byte is sent, so a refusal or failure up to there is a whole error answer;
 * anything else under /exports is a JSON 404.
 */
export function exportsRoute(options: ExportsRouteOptions): express.Router {
  const { reader, config, clock, log, tokens } = options;
  const router = express.Router();
  router.get('/views', async (req, res) => {
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    let started = false;
    try {
      const now = clock();
      const viewer = await viewerFromAuthorization(tokens, req.get('authorization'), now, reader);
      requireScope(viewer, 'analytics:read');
      const parameters = exportParameters(req.originalUrl);
      const format = parameters.format ?? 'csv';
      if (format !== 'csv' && format !== 'ndjson') {
        throw new BadUserInputError(`format must be csv or ndjson, got ${JSON.stringify(format)}.`);
      }
      const granularityName = (parameters.granularity ?? 'day').toUpperCase();
      if (!(granularityName in Granularity)) {
        throw new BadUserInputError(
          `granularity must be hour, day, week or month, got ${JSON.stringify(parameters.granularity)}.`,
        );
      }
      const request: ViewStatsRequest = {
        from: parseInstant('from', parameters.from),
        to: parseInstant('to', parameters.to),
        granularity: granularityName as Granularity,
        slugs: parseSlugs(parameters.slugs),
      };
      const range = bucketRange(request, now, config.views);
      // The token is checked on the primary (a revoked one fails at once); the rollups are public
      // reads, on a read replica where configured.
      let page = await viewSeriesPage(reader.publicReads, request, range, articlesPerPage, null);

      res.status(200);
      res.setHeader('cache-control', 'private, no-store');
      res.setHeader(
        'content-type',
        format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      );
      res.setHeader(
        'content-disposition',
        `attachment; filename="views-${granularityName.toLowerCase()}-${range.starts[0] ? new Date(range.starts[0]).toISOString().slice(0, 10) : 'empty'}.${format}"`,
      );
      started = true;
      const write = async (chunk: string) => {
        if (chunk !== '' && !res.write(chunk)) await once(res, 'drain');
      };
      if (format === 'csv') await write('article_id,slug,bucket_start,views,unique_visitors\n');
      for (;;) {
        await write(pageLines(page, format));
        if (!page.hasNextPage || res.destroyed) break;
        const after = page.cursors[page.cursors.length - 1];
        page = await viewSeriesPage(reader.publicReads, request, range, articlesPerPage, after);
      }
      res.end();
    } catch (error) {
      const code = error instanceof GraphQLError ? error.extensions.code : undefined;
      if (!started && typeof code === 'string' && Object.hasOwn(statusOf, code)) {
        const own = (error as GraphQLError).extensions.http as { status?: number } | undefined;
        sendError(res, own?.status ?? statusOf[code], error as GraphQLError);
        return;
      }
      log.error({ err: error, requestId, path: '/exports/views' }, 'views export failed');
      // A failure after the first byte can only cut the answer: the client sees it incomplete.
      sendInternalError(res, requestId);
    }
  });
  router.all('/views', (_req, res) => {
    res.setHeader('allow', 'GET, HEAD');
    sendError(
      res,
      405,
      new GraphQLError('The views export is read with GET.', {
        extensions: { code: 'BAD_REQUEST' },
      }),
    );
  });
  router.use((_req, res) => {
    sendError(
      res,
      404,
      new NotFoundError(
        'No export at this path; the exports are GET /exports/views and GET /exports/redirects.',
      ),
    );
  });
  return router;
}
