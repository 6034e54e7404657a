import http from 'node:http';
import { articleSeries } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { browserAgent } from './helpers/views';
import { createToken } from '../src/access/apiTokens';
import { ConfigError, loadConfig } from '../src/config';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The header lines as the server sent them, in order. */
  lines: string[];
  text: string;
}

/** One request over node:http, which sends Origin and every other header exactly as given. */
function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, response => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const lines: string[] = [];
        for (let i = 0; i < response.rawHeaders.length; i += 2) {
          lines.push(`${response.rawHeaders[i]}: ${response.rawHeaders[i + 1]}`);
        }
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          lines,
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** What Chromium sends before Apollo Client's POST (content-type: application/json). */
const preflight = (gateway: TestGateway, path: string, origin: string, requestHeaders: string) =>
  send(`${gateway.url}${path}`, 'OPTIONS', {
    origin,
    'access-control-request-method': path === '/exports/views' ? 'GET' : 'POST',
    'access-control-request-headers': requestHeaders,
    'user-agent': browserAgent,
  });

const query = JSON.stringify({ query: '{ articles(first: 1) { edges { node { slug } } } }' });
const postQuery = (gateway: TestGateway, origin?: string) =>
  send(
    `${gateway.url}/graphql`,
    'POST',
    { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
    query,
  );

const varyOf = (answer: Answer) =>
  String(answer.headers.vary ?? '')
    .split(',')
    .map(name => name.trim().toLowerCase());

describe('CORS_ORIGINS (config)', () => {
  it('allows any port of localhost and 127.0.0.1 outside production, and no origin in production', () => {
    expect(loadConfig({}).cors).toEqual({
      anyOrigin: false,
      origins: [],
      anyPort: ['http://localhost', 'http://127.0.0.1'],
    });
    expect(loadConfig({ NODE_ENV: 'test' }).cors.anyPort).toHaveLength(2);
    expect(loadConfig({ NODE_ENV: 'production' }).cors).toEqual({
      anyOrigin: false,
      origins: [],
      anyPort: [],
    });
  });

  it('reads exact origins as browsers send them, host:* for any port, * alone and none', () => {
    expect(
      loadConfig({
        NODE_ENV: 'production',
        CORS_ORIGINS: 'https://App.Example.com, http://shop.example:80,http://localhost:*',
      }).cors,
    ).toEqual({
      anyOrigin: false,
      origins: ['https://app.example.com', 'http://shop.example'],
      anyPort: ['http://localhost'],
    });
    expect(loadConfig({ CORS_ORIGINS: '*' }).cors).toEqual({
      anyOrigin: true,
      origins: [],
      anyPort: [],
    });
    expect(loadConfig({ CORS_ORIGINS: 'none' }).cors).toEqual({
      anyOrigin: false,
      origins: [],
      anyPort: [],
    });
  });

  it.each([
    ['https://app.example.com/', 'an origin has no path, query or fragment'],
    ['https://app.example.com/app', 'an origin has no path, query or fragment'],
    ['https://app.example.com?x=1', 'an origin has no path, query or fragment'],
    ['app.example.com', 'not a URL'],
    ['ftp://files.example.com', 'expected http or https'],
    ['https://user@app.example.com', 'an origin has no user or password'],
    ['http://localhost:3000:*', 'give a port or :*, not both'],
    ['*,https://app.example.com', '* must be the only value'],
    ['https://app.example.com,none', 'none must be the only value'],
  ])('refuses CORS_ORIGINS=%s with one line naming the setting', (value, problem) => {
    expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(
      new RegExp(
        `^Invalid setting CORS_ORIGINS: expected origins such as https://app\\.example\\.com.*${problem.replace(/[*?]/g, '\\$&')}, got "`,
      ),
    );
  });
});

describe('CORS with listed origins [sqlite]', () => {
  const app = 'https://app.example.com';
  let gateway: TestGateway;
  let secret: string;

  beforeAll(async () => {
    gateway = await startTestGateway('sqlite', {
      env: { CORS_ORIGINS: `${app},http://localhost:*` },
    });
    await gateway.importFiles(articleSeries(2));
    secret = await createToken(gateway.db, 'dashboard', ['analytics:read'], gateway.clock());
  });
  afterAll(() => gateway.close());

  it.each([
    ['/graphql', 'content-type'],
    ['/graphql', 'apollo-require-preflight,content-type'],
    ['/graphql', 'authorization,content-type,x-request-id'],
    ['/views', 'content-type'],
    ['/exports/views', 'authorization'],
  ])(
    'answers the preflight of %s (headers %s) with 204 before the method check and CSRF prevention',
    async (path, requestHeaders) => {
      const answer = await preflight(gateway, path, app, requestHeaders);
      expect(answer.status).toBe(204);
      expect(answer.text).toBe('');
      expect(answer.headers).toMatchObject({
        'access-control-allow-origin': app,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET,POST',
        'access-control-max-age': '600',
        'content-length': '0',
      });
      const allowed = String(answer.headers['access-control-allow-headers']).split(',');
      for (const name of requestHeaders.split(',')) expect(allowed).toContain(name);
      expect(allowed).toEqual(
        expect.arrayContaining([
          'content-type',
          'authorization',
          'apollo-require-preflight',
          'x-apollo-operation-name',
          'x-request-id',
        ]),
      );
      expect(varyOf(answer)).toContain('origin');
    },
  );

  it('lets a listed origin read the answer of a query, its request id and Retry-After', async () => {
    const answer = await postQuery(gateway, app);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ data: { articles: { edges: [{}] } } });
    expect(answer.headers['access-control-allow-origin']).toBe(app);
    expect(answer.headers['access-control-allow-credentials']).toBe('true');
    expect(String(answer.headers['access-control-expose-headers']).split(',')).toEqual(
      expect.arrayContaining(['x-request-id', 'retry-after']),
    );
    expect(varyOf(answer)).toContain('origin');
  });

  it('allows any port of a host:* origin, and not another scheme or a look-alike host', async () => {
    for (const origin of ['http://localhost:5173', 'http://localhost:3000', 'http://localhost']) {
      expect((await postQuery(gateway, origin)).headers['access-control-allow-origin']).toBe(
        origin,
      );
    }
    for (const origin of [
      'https://localhost:5173',
      'http://localhost.evil.example:5173',
      'http://localhost:5173.evil.example',
      'https://app.example.com:8443',
      'http://app.example.com',
    ]) {
      const answer = await postQuery(gateway, origin);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect((await preflight(gateway, '/graphql', origin, 'content-type')).status).toBe(403);
    }
  });

  it('gives an unlisted origin no Access-Control-Allow-Origin: its preflight is 403 FORBIDDEN naming CORS_ORIGINS', async () => {
    const origin = 'https://elsewhere.example';
    for (const path of ['/graphql', '/views', '/exports/views']) {
      const answer = await preflight(gateway, path, origin, 'content-type');
      expect(answer.status).toBe(403);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
      expect(varyOf(answer)).toContain('origin');
      expect(JSON.parse(answer.text)).toEqual({
        errors: [
          {
            message: `The origin "${origin}" may not call this API from a browser; list it in CORS_ORIGINS.`,
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      });
    }
    // The request itself is served (CORS protects the page's reading, not the server), unreadable.
    const answer = await postQuery(gateway, origin);
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(varyOf(answer)).toContain('origin');
  });

  it('says Vary: Origin to a request without Origin, so a cache keeps the answers apart', async () => {
    const answer = await send(`${gateway.url}/graphql?query=%7B__typename%7D`, 'GET', {
      'apollo-require-preflight': 'true',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(varyOf(answer)).toContain('origin');
  });

  it('keeps CSRF prevention on for a listed origin, with an answer the page can read', async () => {
    const answer = await send(`${gateway.url}/graphql?query=%7B__typename%7D`, 'GET', {
      origin: app,
    });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('CSRF');
    expect(answer.headers['access-control-allow-origin']).toBe(app);
  });

  it('leaves an OPTIONS that is not a preflight to the route: 405 with Allow', async () => {
    const answer = await send(`${gateway.url}/graphql`, 'OPTIONS', { origin: app });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, POST');
    expect((await send(`${gateway.url}/views`, 'OPTIONS', {})).status).toBe(405);
  });

  it("answers a cross-origin beacon (sendBeacon's text/plain, credentials included) with the exact origin and credentials", async () => {
    const answer = await send(
      `${gateway.url}/views`,
      'POST',
      {
        origin: app,
        'content-type': 'text/plain;charset=UTF-8',
        'user-agent': browserAgent,
        cookie: 'session=irrelevant',
      },
      JSON.stringify({ slug: 'serie-000', visitorId: 'leser-cors' }),
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ counted: true, reason: null });
    expect(answer.headers['access-control-allow-origin']).toBe(app);
    expect(answer.headers['access-control-allow-credentials']).toBe('true');
    expect(varyOf(answer)).toContain('origin');
  });

  it('lets a listed origin read an export and its errors, with the file name exposed', async () => {
    const ok = await send(`${gateway.url}/exports/views?from=2026-11-01&to=2026-11-02`, 'GET', {
      origin: app,
      authorization: `Bearer ${secret}`,
    });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(app);
    expect(String(ok.headers['access-control-expose-headers']).split(',')).toContain(
      'content-disposition',
    );
    const refused = await send(`${gateway.url}/exports/views`, 'GET', { origin: app });
    expect(refused.status).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(app);
  });
});

describe('CORS_ORIGINS=* [sqlite]', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway('sqlite', { env: { CORS_ORIGINS: '*' } });
  });
  afterAll(() => gateway.close());

  it('allows every origin with *, never with credentials', async () => {
    const origin = 'https://any.example';
    const answer = await preflight(gateway, '/graphql', origin, 'content-type');
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
    const beacon = await send(
      `${gateway.url}/views`,
      'POST',
      { origin, 'content-type': 'text/plain' },
      JSON.stringify({ slug: 'unbekannt' }),
    );
    expect(beacon.status).toBe(404);
    expect(beacon.headers['access-control-allow-origin']).toBe('*');
    expect(beacon.headers['access-control-allow-credentials']).toBeUndefined();
    expect((await postQuery(gateway)).headers['access-control-allow-origin']).toBe('*');
  });
});

describe('CORS by default [sqlite]', () => {
  it('allows a dev server on localhost outside production, and nothing else', async () => {
    const gateway = await startTestGateway('sqlite');
    try {
      const local = await preflight(gateway, '/graphql', 'http://localhost:5173', 'content-type');
      expect(local.status).toBe(204);
      expect(local.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      const loopback = await postQuery(gateway, 'http://127.0.0.1:8080');
      expect(loopback.headers['access-control-allow-origin']).toBe('http://127.0.0.1:8080');
      const other = await preflight(gateway, '/graphql', 'https://app.example.com', 'content-type');
      expect(other.status).toBe(403);
    } finally {
      await gateway.close();
    }
  });

  it('allows no origin in production', async () => {
    const gateway = await startTestGateway('sqlite', { env: { NODE_ENV: 'production' } });
    try {
      for (const origin of ['http://localhost:5173', 'https://app.example.com']) {
        const answer = await preflight(gateway, '/graphql', origin, 'content-type');
        expect(answer.status).toBe(403);
        expect(answer.headers['access-control-allow-origin']).toBeUndefined();
        const query = await postQuery(gateway, origin);
        expect(query.status).toBe(200);
        expect(query.headers['access-control-allow-origin']).toBeUndefined();
      }
    } finally {
      await gateway.close();
    }
  });
});
