import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import pino from 'pino';
import { Registry } from 'prom-client';
import { describeEachDatabase, describeWithRedis } from './helpers/databases';
import { bearer, updateArticleMutation } from './helpers/editorial';
import { articleFile } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { createToken } from '../src/access/apiTokens';
import { ConfigError, loadConfig } from '../src/config';
import { CdnPurger } from '../src/ops/cdnPurge/cdnPurger';
import { cloudflarePurge } from '../src/ops/cdnPurge/cloudflarePurge';
import { fastlyPurge } from '../src/ops/cdnPurge/fastlyPurge';
import { httpPurge } from '../src/ops/cdnPurge/httpPurge';
import type { PurgeAdapter } from '../src/ops/cdnPurge/purgeAdapter';
import { claimPurges } from '../src/ops/cdnPurge/purgeClaims';

interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** A local purge endpoint: records each call and answers with the next of `answers` (then 200). */
async function stubServer(answers: { status: number; body?: unknown }[] = []) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', chunk => (text += chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: text ? JSON.parse(text) : null,
      });
      const answer = answers.shift() ?? { status: 200, body: { success: true } };
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const silent = pino({ level: 'silent' });

function purgerOf(adapter: PurgeAdapter, retries = 3) {
  const registry = new Registry();
  const purger = new CdnPurger(adapter, { log: silent, registry, retries, retryDelayMs: 5 });
  const calls = async (result: string) =>
    (await registry.getSingleMetric('gateway_cdn_purge_calls_total')!.get()).values.find(
      value => value.labels.result === result,
    )?.value ?? 0;
  return { purger, calls };
}

describe('CDN purge adapters against a local stub', () => {
  it('posts the keys as JSON with the bearer token (generic HTTP adapter)', async () => {
    const stub = await stubServer();
    const { purger, calls } = purgerOf(httpPurge(`${stub.url}/purge`, 'geheim'));
    purger.purgeKeys(['a1', 's:eins', 'articles']);
    await purger.idle();
    expect(stub.received).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/purge',
        body: { keys: ['a1', 's:eins', 'articles'] },
      }),
    ]);
    expect(stub.received[0].headers.authorization).toBe('Bearer geheim');
    expect(stub.received[0].headers['content-type']).toBe('application/json');
    expect(await calls('ok')).toBe(1);
    await stub.close();
  });

  it("calls Fastly's purge-by-surrogate-key API in batches of 256 with Fastly-Key", async () => {
    const stub = await stubServer();
    const { purger } = purgerOf(fastlyPurge(stub.url, 'SU1Z0isxPaozGVKXdv0eY', 'fastly-token'));
    const keys = Array.from({ length: 300 }, (_, index) => `a${index}`);
    purger.purgeKeys(keys);
    await purger.idle();
    expect(stub.received.map(call => call.path)).toEqual([
      '/service/SU1Z0isxPaozGVKXdv0eY/purge',
      '/service/SU1Z0isxPaozGVKXdv0eY/purge',
    ]);
    expect(stub.received[0].headers['fastly-key']).toBe('fastly-token');
    expect(stub.received[0].body).toEqual({ surrogate_keys: keys.slice(0, 256) });
    expect(stub.received[1].body).toEqual({ surrogate_keys: keys.slice(256) });
    await stub.close();
  });

  it("calls Cloudflare's purge-by-tag API in batches of 30 with a bearer token", async () => {
    const stub = await stubServer();
    const zone = '023e105f4ecef8ad9ca31a8372d0c353';
    const { purger } = purgerOf(cloudflarePurge(stub.url, zone, 'cf-token'));
    const keys = Array.from({ length: 31 }, (_, index) => `t${index}`);
    purger.purgeKeys(keys);
    await purger.idle();
    expect(stub.received).toHaveLength(2);
    expect(stub.received[0]).toMatchObject({
      method: 'POST',
      path: `/zones/${zone}/purge_cache`,
      body: { tags: keys.slice(0, 30) },
    });
    expect(stub.received[0].headers.authorization).toBe('Bearer cf-token');
    expect(stub.received[1].body).toEqual({ tags: keys.slice(30) });
    await stub.close();
  });

  it('retries after a 500 and after a Cloudflare 200 that says success: false, then succeeds', async () => {
    const stub = await stubServer([
      { status: 500 },
      { status: 200, body: { success: false, errors: [{ code: 1134, message: 'x' }] } },
    ]);
    const { purger, calls } = purgerOf(cloudflarePurge(stub.url, 'z', 'cf-token'));
    purger.purgeKeys(['a7']);
    await purger.idle();
    expect(stub.received).toHaveLength(3);
    expect(stub.received.every(call => JSON.stringify(call.body) === '{"tags":["a7"]}')).toBe(true);
    expect(await calls('retry')).toBe(2);
    expect(await calls('ok')).toBe(1);
    await stub.close();
  });

  it('gives up after PURGE_RETRIES and does not retry a 403 (a setting to fix)', async () => {
    const failing = await stubServer(Array.from({ length: 10 }, () => ({ status: 503 })));
    const first = purgerOf(httpPurge(failing.url, null), 2);
    first.purger.purgeKeys(['a1']);
    await first.purger.idle();
    expect(failing.received).toHaveLength(3);
    expect(await first.calls('failed')).toBe(1);
    await failing.close();

    const refused = await stubServer([{ status: 403 }]);
    const second = purgerOf(httpPurge(refused.url, 'falsch'));
    second.purger.purgeKeys(['a1']);
    await second.purger.idle();
    expect(refused.received).toHaveLength(1);
    expect(await second.calls('failed')).toBe(1);
    await refused.close();
  });

  it('coalesces keys that arrive while a call is under way into the next call', async () => {
    const stub = await stubServer([{ status: 500 }]);
    const { purger } = purgerOf(httpPurge(stub.url, null));
    purger.purgeKeys(['a1']);
    purger.purgeKeys(['a2']);
    await new Promise(resolve => setTimeout(resolve, 1));
    purger.purgeKeys(['a3', 'a1']);
    await purger.idle();
    const sent = stub.received.map(call => (call.body as { keys: string[] }).keys);
    // a1 and a2 went together (and again after the 500); a3 in the next round, a1 once more with it.
    expect(sent[0]).toEqual(['a1', 'a2']);
    expect(sent.flat()).toEqual(expect.arrayContaining(['a1', 'a2', 'a3']));
    expect(sent.length).toBeLessThanOrEqual(3);
    await stub.close();
  });
});

describe('purge settings', () => {
  it('needs the id and token of the API it names, and a URL for the generic adapter', () => {
    expect(() => loadConfig({ PURGE_ADAPTER: 'fastly', PURGE_TOKEN: 't' })).toThrow(
      new ConfigError(
        'Invalid setting PURGE_FASTLY_SERVICE_ID: expected the id to purge with PURGE_ADAPTER=fastly, got undefined.',
      ),
    );
    expect(() => loadConfig({ PURGE_ADAPTER: 'http' })).toThrow(/PURGE_URL/);
    expect(() =>
      loadConfig({
        PURGE_ADAPTER: 'cloudflare',
        PURGE_CLOUDFLARE_ZONE_ID: '023e105f4ecef8ad9ca31a8372d0c353',
      }),
    ).toThrow(/PURGE_TOKEN/);
    const config = loadConfig({
      PURGE_ADAPTER: 'cloudflare',
      PURGE_CLOUDFLARE_ZONE_ID: '023e105f4ecef8ad9ca31a8372d0c353',
      PURGE_TOKEN: 't',
    });
    expect(config.caching.purge).toEqual({
      adapter: 'cloudflare',
      url: 'https://api.cloudflare.com/client/v4',
      token: 't',
      target: '023e105f4ecef8ad9ca31a8372d0c353',
      retries: 3,
    });
    expect(loadConfig({}).caching.purge).toBeNull();
  });
});

describe('purging through the gateway', () => {
  let gateway: TestGateway;
  let stub: Awaited<ReturnType<typeof stubServer>>;

  beforeAll(async () => {
    stub = await stubServer();
    gateway = await startTestGateway('sqlite', {
      env: {
        PURGE_ADAPTER: 'http',
        PURGE_URL: `${stub.url}/keys`,
        PURGE_TOKEN: 'geheim',
        PURGE_RETRIES: '1',
      },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await stub.close();
  });

  it("purges a change's keys with the coarse content key, without waiting for the call", async () => {
    const started = performance.now();
    await gateway.gateway.caching.invalidate(['a3', 's:drei', 'articles']);
    // The call is queued, not awaited: a slow purge endpoint never slows the writer.
    expect(stub.received).toHaveLength(0);
    expect(performance.now() - started).toBeLessThan(50);
    await gateway.gateway.caching.purger!.idle();
    expect(stub.received).toHaveLength(1);
    expect(stub.received[0].body).toEqual({ keys: ['a3', 's:drei', 'articles', 'content'] });
    expect(stub.received[0].headers.authorization).toBe('Bearer geheim');
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('gateway_cdn_purge_calls_total{adapter="http",result="ok"} 1');
  });

  it('answers requests at once while the purge endpoint is down', async () => {
    await stub.close();
    const purger = gateway.gateway.caching.purger!;
    await gateway.gateway.caching.invalidate(['a9']);
    const started = performance.now();
    const response = await gateway.gql('{ __typename }');
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(500);
    await purger.idle();
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('gateway_cdn_purge_calls_total{adapter="http",result="retry"} 1');
    expect(metrics).toContain('gateway_cdn_purge_calls_total{adapter="http",result="failed"} 1');
  }, 20_000);
});

describeEachDatabase('purging a change end to end', dialect => {
  let gateway: TestGateway;
  let stub: Awaited<ReturnType<typeof stubServer>>;
  let writer: string;

  beforeAll(async () => {
    stub = await stubServer();
    gateway = await startTestGateway(dialect, {
      env: {
        PURGE_ADAPTER: 'http',
        PURGE_URL: `${stub.url}/keys`,
        CACHE_TAG_HEADER: 'Cache-Tag',
      },
    });
    await gateway.importFiles([
      articleFile({ slug: 'eins', title: 'Eins', authors: ['anna'], tags: ['politik'] }),
    ]);
    writer = await createToken(gateway.db, 'redaktion', ['content:write'], gateway.clock());
  });
  afterAll(async () => {
    await gateway.close();
    await stub.close();
  });

  it('purges every key an answer carried when its article changes, with the lists and content', async () => {
    const read = await gateway.gql<{ article: { id: string; revision: number } }>(
      /* GraphQL */ `
        query ($slug: String!) {
          article(slug: $slug) {
            id
            revision
            title
            tags {
              name
            }
          }
        }
      `,
      { slug: 'eins' },
    );
    const carried = read.headers.get('cache-tag')!.split(',');
    const { id, revision } = read.body.data!.article;
    const started = performance.now();
    const updated = await gateway.gql(
      updateArticleMutation,
      { input: { id, expectedRevision: revision, title: 'Eins, neu' } },
      bearer(writer),
    );
    expect(updated.body.errors).toBeUndefined();
    await gateway.gateway.caching.purger!.idle();
    const purgedAfterMs = performance.now() - started;
    process.stdout.write(
      `[${dialect}] update sent to purge call answered: ${purgedAfterMs.toFixed(1)} ms\n`,
    );
    expect(stub.received).toHaveLength(1);
    const purged = (stub.received[0].body as { keys: string[] }).keys;
    // Every key the answer carried (article, slug, tag) is purged, with the lists and `content`.
    expect(purged).toEqual(expect.arrayContaining([...carried, 'articles', 'content']));
  });
});

describe('claimPurges without Redis', () => {
  it('purges every event here (one process)', async () => {
    expect(await claimPurges(null, 'x:', [{ id: 1 }, { id: 2 }])).toEqual([{ id: 1 }, { id: 2 }]);
  });
});

describeWithRedis('claimPurges', redisUrl => {
  it('lets one replica of many purge each event', async () => {
    const redis = new Redis(redisUrl);
    const prefix = `cg-test-${randomBytes(4).toString('hex')}:`;
    try {
      const events = [{ id: 7 }, { id: 8 }];
      const [first, second] = await Promise.all([
        claimPurges(redis, prefix, events),
        claimPurges(redis, prefix, [...events, { id: 9 }]),
      ]);
      expect([...first, ...second].map(event => event.id).sort()).toEqual([7, 8, 9]);
      expect(await claimPurges(redis, prefix, events)).toEqual([]);
      expect(await redis.ttl(`${prefix}purge:7`)).toBeGreaterThan(86_000);
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
  });
});
