import 'reflect-metadata';
import { Writable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { createToken } from '../src/access/apiTokens';
import { loadConfig } from '../src/config';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { articleFile, articleSeries } from './helpers/fixtures';
import { startTcpProxy, type TcpProxy } from './helpers/tcpProxy';
import { type TestClock, testClock } from './helpers/testClock';
import { browserAgent } from './helpers/views';
import { importContent } from '../src/content/import/contentImport';
import { isDatabaseUnavailable } from '../src/db/databaseUnavailable';
import { ServiceUnavailableError } from '../src/errors/ServiceUnavailableError';
import { createGateway, type Gateway } from '../src/gateway';
import { createLogger } from '../src/ops/logger';
import { PublishedArticleCache, staleIfErrorMs } from '../src/views/publishedArticleCache';

// What a page sends: the answer's article would be a read of its own, which an outage refuses.
const recordViewMutation = /* GraphQL */ `
  mutation RecordView($input: RecordViewInput!) {
    recordView(input: $input) {
      counted
      reason
    }
  }
`;

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('database unavailable errors', () => {
  it('recognises refused, broken and timed-out connections and server shutdowns', () => {
    expect(
      isDatabaseUnavailable(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')),
    ).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(
      isDatabaseUnavailable(
        withCode('terminating connection due to administrator command', '57P01'),
      ),
    ).toBe(true);
    expect(isDatabaseUnavailable(withCode('the database system is starting up', '57P03'))).toBe(
      true,
    );
    // As TypeORM wraps a driver's error, and as net wraps the attempts of one connect.
    const wrapped = new QueryFailedError('SELECT 1', [], withCode('connection failure', '08006'));
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
    const attempts = new AggregateError([
      withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'),
    ]);
    expect(isDatabaseUnavailable(attempts)).toBe(true);
    expect(isDatabaseUnavailable(new ServiceUnavailableError())).toBe(true);
  });

  it('leaves statement errors alone', () => {
    expect(isDatabaseUnavailable(withCode('column "x" does not exist', '42703'))).toBe(false);
    expect(isDatabaseUnavailable(withCode('UNIQUE constraint failed', 'SQLITE_CONSTRAINT'))).toBe(
      false,
    );
    expect(
      isDatabaseUnavailable(new QueryFailedError('SELECT', [], withCode('syntax', '42601'))),
    ).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable('Connection terminated')).toBe(false);
  });
});

describe('the published-article cache during an outage', () => {
  const article = { articleId: 7, publishedAt: 1_000 };

  it('answers a known article for an hour past its time while the database is unavailable', () => {
    const cache = new PublishedArticleCache();
    cache.set('s:a', article, 0);
    expect(cache.get('s:a', 29_999)).toEqual(expect.objectContaining(article));
    expect(cache.get('s:a', 30_000)).toBeNull();
    const outage = new ServiceUnavailableError();
    expect(cache.staleIfError('s:a', 30_000 + staleIfErrorMs - 1, outage)).toEqual(
      expect.objectContaining(article),
    );
    expect(() => cache.staleIfError('s:a', 30_000 + staleIfErrorMs, outage)).toThrow(outage);
    expect(() => cache.staleIfError('s:unknown', 30_000, outage)).toThrow(outage);
  });

  it('rethrows errors that are not an outage', () => {
    const cache = new PublishedArticleCache();
    cache.set('s:a', article, 0);
    const notFound = new Error('No article with slug "a".');
    expect(() => cache.staleIfError('s:a', 31_000, notFound)).toThrow(notFound);
  });
});

const describeOnPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

interface ErrorBody {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * A real outage: the gateway reaches PostgreSQL through a TCP proxy that the test cuts and
 * restores. The shared PostgreSQL itself keeps running.
 */
describeOnPostgres('a database outage [postgres]', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let gateway: Gateway;
  let url: string;
  let clock: TestClock;
  let secret: string;
  const logLines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const target = new URL(database.env.DATABASE_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(database.env.DATABASE_URL);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DEMO_CONTENT: 'false',
      RATE_LIMIT_ENABLED: 'false',
      // The test flushes; the timer stays out of the way.
      VIEW_FLUSH_INTERVAL_MS: '60000',
      ...database.env,
      DATABASE_URL: viaProxy.toString(),
    });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (line) logLines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    clock = testClock('2026-11-29T12:00:00Z');
    gateway = await createGateway(config, { clock, log: createLogger('warn', sink) });
    url = `http://127.0.0.1:${await gateway.server.listen(0, '127.0.0.1')}`;
    const report = await importContent(
      gateway.db,
      [...articleSeries(3), articleFile({ slug: 'nie-gelesen' })],
      clock(),
    );
    expect(report.problems).toEqual([]);
    secret = await createToken(gateway.db, 'report-job', ['analytics:read'], clock());
  });
  afterAll(async () => {
    proxy.restore();
    await gateway.stop();
    await proxy.close();
    await database.drop();
  });

  const recordView = async (slug: string, visitorId: string) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': browserAgent },
      body: JSON.stringify({
        query: recordViewMutation,
        variables: { input: { slug, visitorId } },
      }),
    });
    const body = (await response.json()) as ErrorBody & {
      data?: { recordView: { counted: boolean } };
    };
    return { status: response.status, body };
  };
  const beacon = (slug: string, visitorId: string) =>
    fetch(`${url}/views`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': browserAgent },
      body: JSON.stringify({ slug, visitorId }),
    });
  const storedViews = async () => {
    const rows: { views: number | null }[] = await gateway.db.query(
      'SELECT SUM(views) AS views FROM article_view_total',
    );
    return Number(rows[0]?.views ?? 0);
  };

  it('counts views of known articles, refuses what needs the database with 503, and loses no view', async () => {
    // Before the outage: each article is viewed once, which is how the gateway comes to know it.
    for (const slug of ['serie-000', 'serie-001', 'serie-002']) {
      expect((await recordView(slug, `vorher-${slug}`)).body.data?.recordView.counted).toBe(true);
    }
    await gateway.views.counter.flush();
    expect(await storedViews()).toBe(3);
    // The published-article cache has expired (30 s): every view below would ask the database.
    clock.advance(60_000);

    proxy.cut();
    let accepted = 0;
    for (let index = 0; index < 20; index += 1) {
      const slug = `serie-00${index % 3}`;
      const { status, body } = await recordView(slug, `mutation-${index}`);
      expect({ status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
      expect(body.data?.recordView.counted).toBe(true);
      accepted += 1;
    }
    for (let index = 0; index < 15; index += 1) {
      const response = await beacon(`serie-00${index % 3}`, `beacon-${index}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ counted: true, reason: null });
      accepted += 1;
    }
    expect(accepted).toBe(35);
    expect(gateway.views.counter.pending).toBe(35);

    // A token cannot be checked: 503 with Retry-After and a request id, never a masked 500.
    const withToken = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(withToken.status).toBe(503);
    expect(withToken.headers.get('retry-after')).toBe('5');
    expect(withToken.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const tokenBody = (await withToken.json()) as ErrorBody;
    expect(tokenBody.errors?.map(error => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);

    // A read that needs the database, the export, and a view of an article never seen: 503.
    const read = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ articles(first: 2) { edges { node { slug } } } }' }),
    });
    expect(read.status).toBe(503);
    expect(read.headers.get('retry-after')).toBe('5');
    expect(((await read.json()) as ErrorBody).errors?.[0]?.extensions?.code).toBe(
      'SERVICE_UNAVAILABLE',
    );
    const exported = await fetch(`${url}/exports/views?from=2026-11-23&to=2026-11-30`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(exported.status).toBe(503);
    expect(exported.headers.get('retry-after')).toBe('5');
    expect(((await exported.json()) as ErrorBody).errors?.[0]?.extensions?.code).toBe(
      'SERVICE_UNAVAILABLE',
    );
    const unknownView = await recordView('nie-gelesen', 'mutation-unbekannt');
    expect(unknownView.status).toBe(503);
    expect(unknownView.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    const unknownBeacon = await beacon('nie-gelesen', 'beacon-unbekannt');
    expect(unknownBeacon.status).toBe(503);
    expect(unknownBeacon.headers.get('retry-after')).toBe('5');
    expect(((await unknownBeacon.json()) as ErrorBody).errors?.[0]?.extensions?.code).toBe(
      'SERVICE_UNAVAILABLE',
    );

    // The flusher cannot write and keeps every accepted view.
    await expect(gateway.views.counter.flush()).rejects.toThrow();
    expect(gateway.views.counter.pending).toBe(35);

    proxy.restore();
    await gateway.views.counter.flush();
    expect(gateway.views.counter.pending).toBe(0);
    expect(await storedViews()).toBe(3 + 35);

    const afterwards = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(afterwards.status).toBe(200);

    // The outage is logged without statement text or parameters above trace level.
    const failures = logLines.filter(line => line.msg === 'sql statement failed');
    expect(failures.length).toBeGreaterThan(0);
    for (const line of failures) expect(line.sqlHash).toMatch(/^[0-9a-f]{12}$/);
    for (const line of logLines) {
      expect(line).not.toHaveProperty('sql');
      expect(JSON.stringify(line)).not.toMatch(/SELECT|INSERT|UPDATE api_token/);
    }
  });
});
