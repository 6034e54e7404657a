import { createHash } from 'node:crypto';
import http from 'node:http';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import pino from 'pino';
import { describeEachDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { browserAgent } from './helpers/views';

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

interface ErrorBody {
  errors: { message: string; extensions: { code: string; [key: string]: unknown } }[];
}

/** A raw request, so that the test sets every method, header and byte (fetch refuses TRACE). */
function raw(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string | number>,
  body?: Buffer | string,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}${path}`, { method, headers }, response => {
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

const errorOf = (answer: RawAnswer) => (JSON.parse(answer.text) as ErrorBody).errors[0];
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const tagsQuery = JSON.stringify({ query: '{ tags { totalCount } }' });

describeEachDatabase('request errors', dialect => {
  let gateway: TestGateway;
  const logLines: { level: number; msg: string; requestId?: string; err?: unknown }[] = [];
  const errorLines = () => logLines.filter(line => line.level >= 50);

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(JSON.parse(String(chunk)) as (typeof logLines)[number]);
        done();
      },
    });
    gateway = await startTestGateway(dialect, { log: pino({ level: 'info' }, stream) });
    await gateway.importFiles(articleSeries(1));
  });
  afterAll(() => gateway.close());
  beforeEach(() => {
    logLines.length = 0;
  });

  const post = (path: string, headers: Record<string, string | number>, body: Buffer | string) =>
    raw(gateway.url, 'POST', path, headers, body);

  describe('bodies on /graphql', () => {
    it.each([
      ['gzip', 'a plain JSON body', Buffer.from(tagsQuery)],
      ['deflate', 'a plain JSON body', Buffer.from(tagsQuery)],
      ['gzip', 'a cut-off gzip body', zlib.gzipSync(tagsQuery).subarray(0, 20)],
      ['br', 'a plain JSON body', Buffer.from(tagsQuery)],
    ])(
      'answers Content-Encoding %s with %s 400 BAD_REQUEST, logging no error',
      async (encoding, _name, body) => {
        const answer = await post(
          '/graphql',
          { 'content-type': 'application/json', 'content-encoding': encoding },
          body,
        );
        expect(answer.status).toBe(400);
        expect(answer.headers['cache-control']).toBe('private, no-store');
        expect(errorOf(answer).extensions.code).toBe('BAD_REQUEST');
        expect(errorOf(answer).message).toMatch(
          /^Request body does not match its Content-Encoding/,
        );
        expect(errorLines()).toEqual([]);
      },
    );

    it('refuses a gzip bomb with 413 and the bytes it read, not NaN', async () => {
      // 10 MB of JSON in about 10 kB of gzip; the limit is 102,400 bytes after decoding.
      const bomb = zlib.gzipSync(
        `{"query": "{ tags { totalCount } }", "padding": "${' '.repeat(10_000_000)}"}`,
      );
      expect(bomb.length).toBeLessThan(102_400);
      const answer = await post(
        '/graphql',
        { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        bomb,
      );
      expect(answer.status).toBe(413);
      const error = errorOf(answer);
      expect(error.message).not.toMatch(/NaN/);
      expect(error.extensions).toMatchObject({
        code: 'QUERY_TOO_COMPLEX',
        limit: 'body_size',
        maximum: 102_400,
      });
      const read = error.extensions.value as number;
      expect(read).toBeGreaterThan(102_400);
      expect(error.message).toBe(
        `Request body is over the limit of 102400 bytes (REQUEST_BODY_LIMIT_BYTES): reading stopped at ${read} bytes.`,
      );
      expect(errorLines()).toEqual([]);
    });

    it('names the declared size of a plain body over the limit', async () => {
      const body = JSON.stringify({
        query: '{ tags { totalCount } }',
        padding: 'x'.repeat(200_000),
      });
      const answer = await post('/graphql', { 'content-type': 'application/json' }, body);
      expect(answer.status).toBe(413);
      expect(errorOf(answer).message).toBe(
        `Request body is ${Buffer.byteLength(body)} bytes; the limit is 102400 (REQUEST_BODY_LIMIT_BYTES).`,
      );
      expect(errorOf(answer).extensions.value).toBe(Buffer.byteLength(body));
    });
  });

  describe('bodies on POST /views', () => {
    const beaconHeaders = { 'content-type': 'text/plain', 'user-agent': browserAgent };
    const beaconBody = JSON.stringify({ slug: 'serie-000', visitorId: 'leser-1' });

    it('refuses a Content-Encoding with 415 BAD_REQUEST, counting nothing', async () => {
      for (const [encoding, body] of [
        ['gzip', zlib.gzipSync(beaconBody)],
        ['gzip', Buffer.from(beaconBody)],
        ['deflate', zlib.deflateSync(beaconBody)],
      ] as const) {
        const answer = await post(
          '/views',
          { ...beaconHeaders, 'content-encoding': encoding },
          body,
        );
        expect({ encoding, status: answer.status }).toEqual({ encoding, status: 415 });
        expect(errorOf(answer).extensions.code).toBe('BAD_REQUEST');
        expect(errorOf(answer).message).toBe(
          `The body's content encoding "${encoding}" is not supported here; send one of: identity.`,
        );
      }
      expect(gateway.gateway.views.counter.pending).toBe(0);
      expect(errorLines()).toEqual([]);
    });

    it('refuses a body over 6144 bytes with 413 and its true size', async () => {
      const body = JSON.stringify({ slug: 'serie-000', visitorId: 'x'.repeat(9000) });
      const answer = await post('/views', beaconHeaders, body);
      expect(answer.status).toBe(413);
      expect(errorOf(answer).message).toBe(
        `Request body is ${body.length} bytes; the limit is 6144 (a beacon's fixed limit).`,
      );
      expect(errorOf(answer).extensions).toMatchObject({
        code: 'QUERY_TOO_COMPLEX',
        maximum: 6144,
        value: body.length,
      });
    });
  });

  describe('automatic persisted queries', () => {
    const query = '{ tags { totalCount } }';

    it.each([
      [
        'a hash that does not match its query',
        { version: 1, sha256Hash: sha256(`${query} `) },
        'provided sha does not match query',
      ],
      [
        'version 2',
        { version: 2, sha256Hash: sha256(query) },
        'Unsupported persisted query version',
      ],
    ])(
      'answers %s with 400 BAD_REQUEST and Apollo message, logged as no error',
      async (_name, persistedQuery, message) => {
        const answer = await post(
          '/graphql',
          { 'content-type': 'application/json', 'x-request-id': 'apq-1' },
          JSON.stringify({ query, extensions: { persistedQuery } }),
        );
        expect(answer.status).toBe(400);
        expect(JSON.parse(answer.text)).toEqual({
          errors: [{ message, extensions: { code: 'BAD_REQUEST' } }],
        });
        expect(errorLines()).toEqual([]);
      },
    );
  });

  describe('masked errors', () => {
    it('carry the request id when the request context fails (the token check)', async () => {
      // The token check's table gone, as good as a database that does not answer it.
      await gateway.db.query('ALTER TABLE api_token RENAME TO api_token_away');
      try {
        const answer = await post(
          '/graphql',
          {
            'content-type': 'application/json',
            authorization: 'Bearer some-secret',
            'x-request-id': 'ctx-fail-1',
          },
          tagsQuery,
        );
        expect(answer.status).toBe(500);
        expect(answer.headers['x-request-id']).toBe('ctx-fail-1');
        expect(answer.headers['cache-control']).toBe('private, no-store');
        expect(JSON.parse(answer.text)).toEqual({
          errors: [
            {
              message: 'Internal server error (request ctx-fail-1).',
              extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'ctx-fail-1' },
            },
          ],
        });
        expect(answer.text).not.toMatch(/api_token|\n\s+at /);
        // One line for the failure, with the id (the SQL reader logs the failed statement itself).
        const lines = errorLines().filter(line => line.msg !== 'sql statement failed');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatchObject({ requestId: 'ctx-fail-1', err: expect.anything() });
      } finally {
        await gateway.db.query('ALTER TABLE api_token_away RENAME TO api_token');
      }
    });

    it('carry the request id, the client chosen one, on a failed view beacon', async () => {
      const { counter } = gateway.gateway.views;
      const spy = jest.spyOn(counter, 'recorded').mockImplementation(() => {
        throw new Error('the buffer is broken');
      });
      try {
        const answer = await post(
          '/views',
          { 'content-type': 'text/plain', 'user-agent': browserAgent, 'x-request-id': 'beacon-9' },
          JSON.stringify({ slug: 'serie-000', visitorId: 'leser-2' }),
        );
        expect(answer.status).toBe(500);
        expect(answer.headers['x-request-id']).toBe('beacon-9');
        expect(answer.headers['cache-control']).toBe('private, no-store');
        expect(JSON.parse(answer.text)).toEqual({
          errors: [
            {
              message: 'Internal server error (request beacon-9).',
              extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'beacon-9' },
            },
          ],
        });
        expect(errorLines()).toHaveLength(1);
        expect(errorLines()[0]).toMatchObject({ requestId: 'beacon-9' });
      } finally {
        spy.mockRestore();
      }
    });

    it('carry the request id on an express route that fails', async () => {
      const spy = jest
        .spyOn(gateway.metrics.registry, 'metrics')
        .mockRejectedValue(new Error('the registry is broken'));
      try {
        const answer = await raw(gateway.url, 'GET', '/metrics', { 'x-request-id': 'ops-3' });
        expect(answer.status).toBe(500);
        expect(answer.headers['x-request-id']).toBe('ops-3');
        expect(answer.headers['cache-control']).toBe('private, no-store');
        expect(JSON.parse(answer.text)).toEqual({
          errors: [
            {
              message: 'Internal server error (request ops-3).',
              extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'ops-3' },
            },
          ],
        });
        expect(errorLines()[0]).toMatchObject({ requestId: 'ops-3' });
      } finally {
        spy.mockRestore();
      }
    });

    it('honour a well-formed X-Request-Id on a beacon and replace one that is not', async () => {
      const body = JSON.stringify({ slug: 'serie-000', visitorId: 'leser-3' });
      const headers = { 'content-type': 'text/plain', 'user-agent': browserAgent };
      const kept = await post('/views', { ...headers, 'x-request-id': 'abc.123_X-y' }, body);
      expect(kept.headers['x-request-id']).toBe('abc.123_X-y');
      const replaced = await post('/views', { ...headers, 'x-request-id': 'no spaces <>' }, body);
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('paths nothing is served at', () => {
    it.each([['/nowhere'], ['/media/missing-hero.jpg'], ['/graphql/below']])(
      'answers GET %s with a JSON 404 NOT_FOUND, not an HTML page',
      async path => {
        const answer = await raw(gateway.url, 'GET', path, {});
        expect(answer.status).toBe(404);
        expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(answer.headers['cache-control']).toBe('private, no-store');
        expect(errorOf(answer)).toEqual({
          message: `Nothing is served at ${JSON.stringify(path)}.`,
          extensions: { code: 'NOT_FOUND' },
        });
        expect(errorLines()).toEqual([]);
      },
    );
  });

  describe('methods', () => {
    it.each([
      ['OPTIONS', '/graphql', 'GET, POST'],
      ['TRACE', '/graphql', 'GET, POST'],
      ['OPTIONS', '/views', 'POST'],
      ['TRACE', '/views', 'POST'],
    ])('answers %s %s with 405, Allow: %s, and no CSRF message', async (method, path, allow) => {
      const answer = await raw(gateway.url, method, path, { origin: 'https://elsewhere.example' });
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe(allow);
      expect(answer.headers['cache-control']).toBe('private, no-store');
      expect(errorOf(answer).extensions.code).toBe('BAD_REQUEST');
      expect(errorOf(answer).message).toBe(
        `"${method}" is not a method of ${path}; send ${allow.replace(', ', ' or ')}.`,
      );
      expect(answer.text).not.toMatch(/CSRF/);
    });
  });
});
