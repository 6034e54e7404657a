import http from 'node:http';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import { ApolloServer } from '@apollo/server';
import pino from 'pino';
import { loadConfig } from '../src/config';
import type { Context } from '../src/context';
import { articleFile } from './helpers/fixtures';
import { type TestGateway, startTestGateway } from './helpers/testGateway';
import { graphqlRoute, isGraphqlRequest } from '../src/http/graphqlRoute';
import { createMetrics } from '../src/ops/metrics';

const tagsQuery = JSON.stringify({ query: '{ tags { totalCount } }' });

/** A raw POST, so that the test sets every header and byte itself (fetch would add its own). */
function rawPost(
  url: string,
  path: string,
  body: Buffer | string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}${path}`, { method: 'POST', headers }, response => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** The article mit-bild's image URL as a request with these headers gets it (fetch would drop Host). */
async function mainImageUrl(
  gateway: TestGateway,
  headers: Record<string, string>,
): Promise<string> {
  const response = await rawPost(
    gateway.url,
    '/graphql',
    JSON.stringify({ query: '{ article(slug: "mit-bild") { mainImage { url } } }' }),
    { 'content-type': 'application/json', ...headers },
  );
  return (JSON.parse(response.text) as { data: { article: { mainImage: { url: string } } } }).data
    .article.mainImage.url;
}

describe('isGraphqlRequest', () => {
  it.each([
    ['/graphql', true],
    ['/graphql?query=x', true],
    ['/graphql/', true],
    ['/graphql/?query=x', true],
    ['/graphqlx', false],
    ['/graphql/other', false],
    ['/views', false],
    ['/', false],
  ])('takes %s as the GraphQL endpoint: %s', (url, expected) => {
    expect(isGraphqlRequest({ url } as http.IncomingMessage)).toBe(expected);
  });
});

describe('the /graphql route on node:http', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway('sqlite', { env: { TRUST_PROXY: '1' } });
    await gateway.importFiles([
      articleFile({ slug: 'mit-bild', image: '/media/hero.jpg', tags: ['thema'] }),
    ]);
  });
  afterAll(() => gateway.close());

  it('serves /graphql/ with a trailing slash as /graphql, and leaves other paths below it to 404', async () => {
    const slash = await rawPost(gateway.url, '/graphql/', tagsQuery, {
      'content-type': 'application/json',
    });
    expect(slash.status).toBe(200);
    expect(JSON.parse(slash.text)).toMatchObject({ data: { tags: { totalCount: 1 } } });
    const other = await rawPost(gateway.url, '/graphql/other', tagsQuery, {
      'content-type': 'application/json',
    });
    expect(other.status).toBe(404);
  });

  it('reads a gzip or deflate body, as express.json did', async () => {
    for (const [encoding, body] of [
      ['gzip', zlib.gzipSync(tagsQuery)],
      ['deflate', zlib.deflateSync(tagsQuery)],
    ] as const) {
      const response = await rawPost(gateway.url, '/graphql', body, {
        'content-type': 'application/json',
        'content-encoding': encoding,
      });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toMatchObject({ data: { tags: { totalCount: 1 } } });
    }
  });

  it.each([
    ['an unknown content encoding', { 'content-encoding': 'zstd-unknown' }, 415, /encoding/],
    [
      'a charset that is not UTF',
      { 'content-type': 'application/json; charset=latin1' },
      415,
      /charset/,
    ],
  ])('refuses %s with BAD_REQUEST and no stack', async (_name, headers, status, message) => {
    const response = await rawPost(gateway.url, '/graphql', tagsQuery, {
      'content-type': 'application/json',
      ...headers,
    });
    expect(response.status).toBe(status);
    expect(response.headers['cache-control']).toBe('private, no-store');
    const error = (
      JSON.parse(response.text) as { errors: { message: string; extensions: { code: string } }[] }
    ).errors[0];
    expect(error.extensions.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(message);
    expect(response.text).not.toMatch(/\n\s+at /);
  });

  it('echoes a well-formed X-Request-Id and replaces one that is not', async () => {
    const kept = await gateway.gql(
      '{ tags { totalCount } }',
      {},
      { 'x-request-id': 'abc.123_X-y' },
    );
    expect(kept.headers.get('x-request-id')).toBe('abc.123_X-y');
    const replaced = await gateway.gql(
      '{ tags { totalCount } }',
      {},
      { 'x-request-id': 'no spaces <>' },
    );
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('builds media URLs from X-Forwarded-Proto and Host behind a trusted proxy', async () => {
    expect(await mainImageUrl(gateway, { host: 'news.example' })).toBe(
      'http://news.example/media/hero.jpg',
    );
    expect(
      await mainImageUrl(gateway, { host: 'news.example', 'x-forwarded-proto': 'https' }),
    ).toBe('https://news.example/media/hero.jpg');
  });
});

describe('the /graphql route without a trusted proxy', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway('sqlite', { env: { TRUST_PROXY: 'false' } });
    await gateway.importFiles([articleFile({ slug: 'mit-bild', image: '/media/hero.jpg' })]);
  });
  afterAll(() => gateway.close());

  it('ignores X-Forwarded-Proto from a peer it does not trust', async () => {
    expect(
      await mainImageUrl(gateway, { host: 'news.example', 'x-forwarded-proto': 'https' }),
    ).toBe('http://news.example/media/hero.jpg');
  });
});

describe('the /graphql route when writing the answer fails', () => {
  let server: http.Server;
  let url: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    // A real Apollo Server whose plugin sets a header value Node refuses to write (a newline):
    // the route's own failure path, which no client request reaches in the gateway.
    const apollo = new ApolloServer<Context>({
      typeDefs: 'type Query { ok: Boolean }',
      resolvers: { Query: { ok: () => true } },
      plugins: [
        {
          async requestDidStart() {
            return {
              async willSendResponse({ response }) {
                response.http.headers.set('x-broken', 'one\ntwo');
              },
            };
          },
        },
      ],
    });
    await apollo.start();
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const route = graphqlRoute({
      apollo,
      limits: loadConfig({ NODE_ENV: 'test' }).limits,
      metrics: createMetrics(),
      log: pino({ level: 'info' }, stream),
      context: async () => ({}) as Context,
    });
    server = http.createServer(route);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    server.on('close', () => void apollo.stop());
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));

  it('answers 500 INTERNAL_SERVER_ERROR with the request id, no stack, and logs the detail', async () => {
    const response = await rawPost(url, '/graphql', JSON.stringify({ query: '{ ok }' }), {
      'content-type': 'application/json',
      'x-request-id': 'broken-1',
    });
    expect(response.status).toBe(500);
    expect(JSON.parse(response.text)).toEqual({
      errors: [
        {
          message: 'Internal server error (request broken-1).',
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'broken-1' },
        },
      ],
    });
    expect(response.text).not.toMatch(/x-broken|ERR_INVALID_CHAR|\n\s+at /);
    expect(logLines.find(line => line.includes('broken-1'))).toMatch(/ERR_INVALID_CHAR/);
  });
});
