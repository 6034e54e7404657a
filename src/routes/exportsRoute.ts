import { once } from 'node:events';
import express from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Clock } from '../context';
import { Granularity } from '../entities/enums';
import type { SqlReader } from '../db/SqlReader';
import { type TokenVerifier, viewerFromAuthorization } from '../services/apiTokens';
import { requireScope } from '../services/requireScope';
import { bucketRange, type ViewStatsRequest, viewSeriesPage } from '../services/viewStats';

export interface ExportsRouteOptions {
  reader: SqlReader;
  config: Config;
  clock: Clock;
  log: Logger;
  tokens: TokenVerifier;
}

// Articles read per statement pair while streaming: memory holds one page, whatever the range.
const articlesPerPage = 200;

const statusOf: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
};

function parseInstant(name: string, value: unknown): Date {
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value)
  ) {
    throw Object.assign(
      new Error(
        `${name} must be a date (2026-01-31) or an ISO-8601 date-time with offset, got ${JSON.stringify(value ?? null)}.`,
      ),
      { code: 'BAD_USER_INPUT' },
    );
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw Object.assign(new Error(`${name} is not a valid date, got ${JSON.stringify(value)}.`), {
      code: 'BAD_USER_INPUT',
    });
  }
  return date;
}

function badInput(message: string): Error {
  return Object.assign(new Error(message), { code: 'BAD_USER_INPUT' });
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * GET /exports/views?from=&to=&granularity=day&format=csv|ndjson[&slugs=a,b]: the numbers of
 * Query.viewStats as rows (article_id, slug, bucket_start, views, unique_visitors), one row per
 * article and bucket, streamed page by page with backpressure so memory stays flat. Needs a
 * token with analytics:read, like viewStats.
 */
export function exportsRoute(options: ExportsRouteOptions): express.Router {
  const { reader, config, clock, log, tokens } = options;
  const router = express.Router();
  router.get('/views', async (req, res) => {
    let started = false;
    try {
      const now = clock();
      const viewer = await viewerFromAuthorization(tokens, req.get('authorization'), now, reader);
      requireScope(viewer, 'analytics:read');
      const format = String(req.query.format ?? 'csv');
      if (format !== 'csv' && format !== 'ndjson') {
        throw badInput(`format must be csv or ndjson, got ${JSON.stringify(format)}.`);
      }
      const granularityName = String(req.query.granularity ?? 'day').toUpperCase();
      if (!(granularityName in Granularity)) {
        throw badInput(
          `granularity must be hour, day, week or month, got ${JSON.stringify(req.query.granularity)}.`,
        );
      }
      const request: ViewStatsRequest = {
        from: parseInstant('from', req.query.from),
        to: parseInstant('to', req.query.to),
        granularity: granularityName as Granularity,
        slugs:
          typeof req.query.slugs === 'string' && req.query.slugs !== ''
            ? req.query.slugs.split(',')
            : null,
      };
      const range = bucketRange(request, now, config.views);

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
        if (!res.write(chunk)) await once(res, 'drain');
      };
      if (format === 'csv') await write('article_id,slug,bucket_start,views,unique_visitors\n');
      let after: string | null = null;
      for (;;) {
        if (res.destroyed) return;
        const page = await viewSeriesPage(reader, request, range, articlesPerPage, after);
        for (const series of page.series) {
          const lines: string[] = series.points.map(point => {
            const fields = {
              article_id: series.article.id,
              slug: series.article.slug,
              bucket_start: point.start.toISOString(),
              views: point.views,
              unique_visitors: point.uniqueVisitors,
            };
            return format === 'csv'
              ? `${Object.values(fields).map(csvField).join(',')}\n`
              : `${JSON.stringify(fields)}\n`;
          });
          await write(lines.join(''));
        }
        if (!page.hasNextPage) break;
        after = page.cursors[page.cursors.length - 1];
      }
      res.end();
    } catch (error) {
      const code =
        (error as { extensions?: { code?: string }; code?: string }).extensions?.code ??
        (error as { code?: string }).code;
      if (!started && typeof code === 'string' && code in statusOf) {
        if (code === 'UNAUTHENTICATED') res.setHeader('www-authenticate', 'Bearer');
        res.status(statusOf[code]).json({ error: (error as Error).message, code });
        return;
      }
      log.error({ err: error }, 'views export failed');
      if (started) res.destroy(error as Error);
      else res.status(500).json({ error: 'Internal server error.', code: 'INTERNAL_SERVER_ERROR' });
    }
  });
  return router;
}
