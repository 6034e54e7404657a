import http from 'node:http';
import {
  articlePage,
  type BaselineContext,
  type BaselineFeatures,
  hourlyTable,
  listingPage,
  mostRead,
  tagPage,
} from './baselineHandlers';
import { baselinePostgres, baselineSqlite, type BaselineSql } from './baselineSql';
import { baselineEventTable, recordView, viewStats } from './baselineViews';

/**
 * The raw baseline: a bare node:http server answering the benchmark's operations (by operation
 * name and variables) with hand-written SQL and JSON.stringify. No GraphQL, no framework.
 * Run as a child process by bench/runBench.ts; settings come from the environment:
 * BASELINE_SQLITE=<file> or BASELINE_POSTGRES_URL + BASELINE_POSTGRES_SCHEMA, BASELINE_PORT,
 * BASELINE_BASE_URL, BASELINE_VIEWS=true|false, BASELINE_RECENT_VIEWS=true|false.
 */
type Handler = (
  ctx: BaselineContext,
  vars: Record<string, unknown>,
  authorization: string | undefined,
) => Promise<unknown>;

function main(): void {
  const env = process.env;
  const sql: BaselineSql = env.BASELINE_SQLITE
    ? baselineSqlite(env.BASELINE_SQLITE)
    : baselinePostgres(
        String(env.BASELINE_POSTGRES_URL),
        String(env.BASELINE_POSTGRES_SCHEMA),
        Number(env.BASELINE_POOL_SIZE ?? 10),
      );
  const features: BaselineFeatures = { views: env.BASELINE_VIEWS === 'true' };
  const hourly = hourlyTable(env.BASELINE_RECENT_VIEWS === 'true');
  // The naive recordView's table (baselineViews.ts); made at start, outside any measurement.
  if (features.views) void sql.run(baselineEventTable, []);
  const baseUrl = String(env.BASELINE_BASE_URL);
  const handlers: Record<string, Handler> = {
    ArticlePage: (ctx, vars) => articlePage(ctx, vars, features),
    ArticlePageBare: (ctx, vars) => articlePage(ctx, vars, { ...features, views: false }),
    ListingPage: (ctx, vars) => listingPage(ctx, vars, features),
    TagPage: (ctx, vars) => tagPage(ctx, vars),
    MostRead: ctx => mostRead(ctx),
    RecordView: (ctx, vars) => recordView(ctx, vars),
    ViewStats: (ctx, vars, authorization) => viewStats(ctx, vars, authorization),
  };

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };

  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/stats') {
      send(res, 200, { statements: sql.statements });
      return;
    }
    if (req.method !== 'POST' || req.url !== '/graphql') {
      send(res, 404, { error: 'not found' });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      let body: { operationName?: string; variables?: Record<string, unknown> };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        send(res, 400, { errors: [{ message: 'body is not JSON' }] });
        return;
      }
      const handler = handlers[body.operationName ?? ''];
      if (!handler) {
        send(res, 400, { errors: [{ message: `unknown operation ${body.operationName}` }] });
        return;
      }
      handler(
        { sql, now: Date.now(), baseUrl, hourly },
        body.variables ?? {},
        req.headers.authorization,
      ).then(
        data => send(res, 200, { data }),
        (error: Error) => send(res, 500, { errors: [{ message: error.message }] }),
      );
    });
  });
  server.listen(Number(env.BASELINE_PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(
      `baseline listening on ${typeof address === 'object' && address ? address.port : '?'}\n`,
    );
  });
  const stop = () => server.close(() => sql.close().then(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
