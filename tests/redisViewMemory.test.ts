import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { Writable } from 'node:stream';
import Redis from 'ioredis';
import pino from 'pino';
import { describeWithRedis } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { type GatewaysOnRedis, startGatewaysOnRedis } from './helpers/startGatewaysOnRedis';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { browserAgent, recordViewMutation } from './helpers/views';

const minute = 60_000;

async function view(
  gateway: TestGateway,
  slug: string,
  visitorId?: string,
): Promise<{ counted: boolean; reason: string | null }> {
  const response = await gateway.gql<{ recordView: { counted: boolean; reason: string | null } }>(
    recordViewMutation,
    { input: { slug, ...(visitorId ? { visitorId } : {}) } },
    { 'user-agent': browserAgent },
  );
  expect(response.body.errors).toBeUndefined();
  const { counted, reason } = response.body.data!.recordView;
  return { counted, reason };
}

/** Views and unique visitors the gateway has written (flushed first). */
async function stored(gateway: TestGateway): Promise<{ views: number; uniques: number }> {
  await gateway.flushViews();
  const rows: { views: number | null; uniques: number | null }[] = await gateway.db.query(
    'SELECT SUM(views) AS views, SUM(unique_visitors) AS uniques FROM article_view_recent',
  );
  return { views: Number(rows[0].views ?? 0), uniques: Number(rows[0].uniques ?? 0) };
}

async function metric(gateway: TestGateway, name: string): Promise<number> {
  const text = await gateway.metrics.registry.metrics();
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : NaN;
}

describeWithRedis('view memory shared by replicas', redisUrl => {
  let pair: GatewaysOnRedis;

  beforeAll(async () => {
    pair = await startGatewaysOnRedis(redisUrl, { env: { VIEW_RATE_PER_MINUTE: '6' } });
    await pair.first.importFiles(articleSeries(8));
    await pair.second.importFiles(articleSeries(8));
  });
  afterAll(() => pair.close());

  it('counts a visitor once per dedupe period whichever replica they reach', async () => {
    const { first, second } = pair;
    expect(await view(first, 'serie-000', 'leser-1')).toEqual({ counted: true, reason: null });
    expect(await view(second, 'serie-000', 'leser-1')).toEqual({
      counted: false,
      reason: 'REPEAT',
    });
    expect(await view(second, 'serie-001', 'leser-1')).toEqual({ counted: true, reason: null });
    // After the dedupe period the view counts again, on either replica, but not as unique today.
    first.clock.advance(31 * minute);
    second.clock.advance(31 * minute);
    expect(await view(second, 'serie-000', 'leser-1')).toEqual({ counted: true, reason: null });
    expect(await view(first, 'serie-000', 'leser-1')).toEqual({
      counted: false,
      reason: 'REPEAT',
    });
    const [a, b] = [await stored(first), await stored(second)];
    expect({ views: a.views + b.views, uniques: a.uniques + b.uniques }).toEqual({
      views: 3,
      uniques: 2,
    });
    expect(await metric(first, 'gateway_view_memory_shared')).toBe(1);
  });

  it('keys an anonymous reader alike on every replica (one salt a day, shared)', async () => {
    const { first, second } = pair;
    expect(await view(second, 'serie-002')).toEqual({ counted: true, reason: null });
    expect(await view(first, 'serie-002')).toEqual({ counted: false, reason: 'REPEAT' });
  });

  it('applies the per-visitor rate across replicas', async () => {
    const { first, second } = pair;
    const answers = [];
    for (let article = 0; article < 8; article += 1) {
      answers.push(await view(article % 2 ? second : first, `serie-00${article}`, 'eilig'));
    }
    expect(answers.filter(answer => answer.counted)).toHaveLength(6);
    expect(answers.slice(6)).toEqual([
      { counted: false, reason: 'RATE' },
      { counted: false, reason: 'RATE' },
    ]);
  });

  it('keeps only hashes in Redis, each with an expiry', async () => {
    const keys = await pair.redis.keysBuffer(`${pair.prefix}*`);
    const viewKeys = keys.filter(key => /^[^:]*:(v|r|salt):/.test(key.toString('latin1')));
    expect(viewKeys.length).toBeGreaterThan(0);
    const everything = Buffer.concat([
      ...keys,
      ...(await Promise.all(viewKeys.map(key => pair.redis.getBuffer(key)))).map(
        value => value ?? Buffer.alloc(0),
      ),
    ]).toString('latin1');
    for (const secret of ['leser-1', 'eilig', '127.0.0.1', 'Mozilla', 'Chrome']) {
      expect(everything).not.toContain(secret);
    }
    for (const key of viewKeys) {
      const ttl = await pair.redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      // A pair lives at most until the end of its day or its dedupe period: under a day.
      expect(ttl).toBeLessThanOrEqual(86_400_000);
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

/** A redis-server of the test's own on `port`, ready for commands. */
async function startRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null });
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return child;
    } catch {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }
  throw new Error(`redis-server on ${port} did not start`);
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    }
  });
}

/** Log lines the gateway writes, parsed. */
function capturedLog(): { log: pino.Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

const describeWithRedisServer = process.env.TEST_REDIS_URL ? describe : describe.skip;

describeWithRedisServer('view memory when Redis goes away [redis-server of its own]', () => {
  let port: number;
  let redisServer: ChildProcess;
  let gateway: TestGateway;
  const { log, lines } = capturedLog();

  beforeAll(async () => {
    port = await freePort();
    redisServer = await startRedisServer(port);
    gateway = await startTestGateway('sqlite', {
      env: { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_KEY_PREFIX: 'cg-fallback:' },
      log,
    });
    await gateway.importFiles(articleSeries(3));
  }, 30_000);
  afterAll(async () => {
    await gateway.close();
    await killed(redisServer);
  });

  it('decides in local memory while Redis is down, logs once, counts it, and goes back', async () => {
    expect(await view(gateway, 'serie-000', 'vorher')).toEqual({ counted: true, reason: null });
    // An anonymous reader: the day's salt is now in Redis.
    expect(await view(gateway, 'serie-000')).toEqual({ counted: true, reason: null });
    expect(await metric(gateway, 'gateway_view_memory_shared')).toBe(1);
    await killed(redisServer);
    // Every view is answered, none as an error; the local memory still dedupes.
    const during = [];
    for (let i = 0; i < 20; i += 1) during.push(await view(gateway, 'serie-001', `waehrend-${i}`));
    expect(during.every(answer => answer.counted)).toBe(true);
    expect(await view(gateway, 'serie-001', 'waehrend-0')).toEqual({
      counted: false,
      reason: 'REPEAT',
    });
    expect(await metric(gateway, 'gateway_view_memory_shared')).toBe(0);
    expect(await metric(gateway, 'gateway_view_memory_fallback_total')).toBeGreaterThanOrEqual(20);
    const warnings = () => lines.filter(line => /view memory: Redis unreachable/.test(line.msg));
    expect(warnings()).toHaveLength(1);

    redisServer = await startRedisServer(port);
    // ioredis reconnects by itself (within its backoff); the next views go to Redis again.
    const deadline = Date.now() + 15_000;
    let visitor = 0;
    while ((await metric(gateway, 'gateway_view_memory_shared')) !== 1) {
      if (Date.now() > deadline) throw new Error('the view memory did not go back to Redis');
      await view(gateway, 'serie-002', `danach-${(visitor += 1)}`);
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect(await view(gateway, 'serie-002', 'zurueck')).toEqual({ counted: true, reason: null });
    const redis = new Redis(port, '127.0.0.1');
    try {
      expect((await redis.keys('cg-fallback:v:*')).length).toBeGreaterThanOrEqual(1);
    } finally {
      redis.disconnect();
    }
    expect(lines.filter(line => /view memory: Redis answers again/.test(line.msg))).toHaveLength(1);
    expect(warnings()).toHaveLength(1);
    // The restarted Redis lost the day's salt; the gateway puts the one it uses back, so a replica
    // started now keys the same anonymous reader alike.
    expect(await view(gateway, 'serie-001')).toEqual({ counted: true, reason: null });
    const another = await startTestGateway('sqlite', {
      env: { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_KEY_PREFIX: 'cg-fallback:' },
    });
    try {
      await another.importFiles(articleSeries(3));
      expect(await view(another, 'serie-001')).toEqual({ counted: false, reason: 'REPEAT' });
    } finally {
      await another.close();
    }
    const { views } = await stored(gateway);
    expect(views).toBe(2 + 20 + visitor + 2);
  }, 40_000);

  it('counts views when Redis was never reachable (a wrong port)', async () => {
    const elsewhere = await startTestGateway('sqlite', {
      env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` },
    });
    try {
      await elsewhere.importFiles(articleSeries(1));
      expect(await view(elsewhere, 'serie-000', 'a')).toEqual({ counted: true, reason: null });
      expect(await view(elsewhere, 'serie-000', 'a')).toEqual({
        counted: false,
        reason: 'REPEAT',
      });
      expect(await view(elsewhere, 'serie-000')).toEqual({ counted: true, reason: null });
      expect(await metric(elsewhere, 'gateway_view_memory_shared')).toBe(0);
    } finally {
      await elsewhere.close();
    }
  }, 20_000);
});
