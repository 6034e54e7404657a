import { describeEachDatabase, describeWithRedis } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { type GatewaysOnRedis, startGatewaysOnRedis } from './helpers/startGatewaysOnRedis';
import { statementsRun } from './helpers/statementsRun';
import { testClock } from './helpers/testClock';
import { type TestGateway, startTestGateway } from './helpers/testGateway';
import { memoryRateLimiter } from '../src/access/rateLimiter';

const query = '{ tags(first: 3) { edges { node { name } } } }';

describe('rate limits in memory', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway('sqlite', {
      // 12:00:15 UTC: 45 seconds left in the current minute window.
      clock: testClock('2026-11-29T12:00:15.000Z'),
      env: {
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_PER_IP: '3',
        RATE_LIMIT_VIEWS_PER_IP: '2',
        RATE_LIMIT_WINDOW_SECONDS: '60',
        TRUST_PROXY: '1',
      },
    });
    await gateway.importFiles(articleSeries(3));
    // The view flusher's timer runs SQL in the background; stopped, gateway_db_statements_total
    // counts only what requests run.
    await gateway.gateway.views.counter.stop();
  });
  afterAll(() => gateway.close());

  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  it('refuses the request over the per-IP limit with 429, RATE_LIMITED and Retry-After, before any SQL', async () => {
    for (let i = 0; i < 3; i += 1) {
      const ok = await gateway.gql(query, undefined, from('203.0.113.1'));
      expect(ok.status).toBe(200);
    }
    const before = await statementsRun(gateway);
    const refused = await gateway.gql(query, undefined, from('203.0.113.1'));
    expect(await statementsRun(gateway)).toBe(before);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('45');
    expect(refused.body.errors?.[0].extensions).toEqual({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 45,
    });
    expect(refused.body.errors?.[0].message).toMatch(/limit is 3 per 60 s for each IP address/);
  });

  it('counts each client behind a trusted proxy by its own address', async () => {
    const other = await gateway.gql(query, undefined, from('203.0.113.2'));
    expect(other.status).toBe(200);
  });

  it('lets the client in again in the next window', async () => {
    gateway.clock.advance(60_000);
    const again = await gateway.gql(query, undefined, from('203.0.113.1'));
    expect(again.status).toBe(200);
  });

  it('counts rate-limited requests in /metrics', async () => {
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_rate_limited_requests_total\{bucket="ip"\} 1/);
  });

  it('keeps recordView in a bucket of its own, counting every aliased recordView', async () => {
    const ip = from('203.0.113.3');
    for (let i = 0; i < 3; i += 1) await gateway.gql(query, undefined, ip);
    expect((await gateway.gql(query, undefined, ip)).status).toBe(429);
    const view = (visitor: string) =>
      `v${visitor}: recordView(input: { slug: "serie-001", visitorId: "${visitor}" }) { counted }`;
    const two = await gateway.gql(`mutation { ${view('a')} ${view('b')} }`, undefined, ip);
    expect(two.status).toBe(200);
    expect(two.body.errors).toBeUndefined();
    const third = await gateway.gql(`mutation { ${view('c')} }`, undefined, ip);
    expect(third.status).toBe(429);
    expect(third.body.errors?.[0].message).toMatch(/Too many recordView calls: the limit is 2/);
  });
});

describeEachDatabase('the view rate limit through fragments', dialect => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, {
      clock: testClock('2026-11-29T12:00:15.000Z'),
      env: {
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_PER_IP: '1000',
        RATE_LIMIT_VIEWS_PER_IP: '20',
        RATE_LIMIT_WINDOW_SECONDS: '60',
        TRUST_PROXY: '1',
      },
    });
    await gateway.importFiles(articleSeries(2));
    await gateway.gateway.views.counter.stop();
  });
  afterAll(() => gateway.close());

  // 16 recordView fields (one plain, 15 aliased: the alias limit is 15), each a visitor of its own.
  const sixteenViews = (prefix: string) =>
    Array.from(
      { length: 16 },
      (_, i) =>
        `${i ? `${prefix}${i}: ` : ''}recordView(input: { slug: "serie-001", visitorId: "${prefix}-${i}" }) { counted }`,
    ).join(' ');
  const browser = (ip: string) => ({
    'x-forwarded-for': ip,
    'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  });

  /** Sends a mutation twice from one address: 16 views each, so the second is over the limit of 20. */
  async function sendTwice(mutation: (round: string) => string, ip: string, tag: string) {
    const first = await gateway.gql(mutation(`${tag}a`), undefined, browser(ip));
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    const answers = Object.values(first.body.data as Record<string, { counted: boolean }>);
    expect(answers.filter(answer => answer.counted)).toHaveLength(16);
    const second = await gateway.gql(mutation(`${tag}b`), undefined, browser(ip));
    expect(second.status).toBe(429);
    expect(second.body.data ?? undefined).toBeUndefined();
    expect(second.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(second.body.errors?.[0].message).toMatch(
      /Too many recordView calls: the limit is 20 per 60 s for each IP address, got 32\./,
    );
  }

  it('counts every recordView in an inline fragment on Mutation', async () => {
    await sendTwice(
      round => `mutation { ... on Mutation { ${sixteenViews(round)} } }`,
      '198.51.100.11',
      'inline',
    );
  });

  it('counts every recordView in a named fragment on Mutation', async () => {
    await sendTwice(
      round => `mutation { ...Views } fragment Views on Mutation { ${sixteenViews(round)} }`,
      '198.51.100.12',
      'named',
    );
  });

  it('counts every recordView in nested fragments, each response key once', async () => {
    await sendTwice(
      round => `mutation { ...Outer ...Outer }
        fragment Outer on Mutation { ... on Mutation { ...Inner } }
        fragment Inner on Mutation { ${sixteenViews(round)} }`,
      '198.51.100.13',
      'nested',
    );
  });
});

describe('rate limits per token', () => {
  let gateway: TestGateway;
  let secret: string;

  beforeAll(async () => {
    gateway = await startTestGateway('sqlite', {
      env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_PER_IP: '2', RATE_LIMIT_PER_TOKEN: '4' },
    });
    const { createToken } = await import('../src/access/apiTokens');
    secret = await createToken(gateway.db, 'limits', ['analytics:read'], gateway.clock());
  });
  afterAll(() => gateway.close());

  it('counts requests with a valid token against the token, not the IP address', async () => {
    const auth = { authorization: `Bearer ${secret}` };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1)
      statuses.push((await gateway.gql(query, undefined, auth)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const refused = await gateway.gql(query, undefined, auth);
    expect(refused.body.errors?.[0].message).toMatch(/limit is 4 per 60 s for each token/);
    // The same IP without the token still has its own budget.
    expect((await gateway.gql(query)).status).toBe(200);
  });
});

describe('rate limits without a trusted proxy', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway('sqlite', {
      env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_PER_IP: '2', TRUST_PROXY: 'false' },
    });
  });
  afterAll(() => gateway.close());

  it('ignores X-Forwarded-For, so a client cannot dodge the limit by inventing addresses', async () => {
    const statuses: number[] = [];
    for (const ip of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      statuses.push((await gateway.gql(query, undefined, { 'x-forwarded-for': ip })).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});

describeWithRedis('rate limits shared through Redis by two gateways', redisUrl => {
  let gateways: GatewaysOnRedis;
  let first: TestGateway;
  let second: TestGateway;
  let redis: GatewaysOnRedis['redis'];
  let prefix: string;

  beforeAll(async () => {
    gateways = await startGatewaysOnRedis(redisUrl, {
      env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_PER_IP: '4' },
      clock: () => testClock('2026-11-29T12:00:10.000Z'),
    });
    ({ first, second, redis, prefix } = gateways);
  });
  afterAll(() => gateways.close());

  it('refuses the fifth request of a client whichever gateway it reaches', async () => {
    const statuses: number[] = [];
    for (const gateway of [first, second, first, second]) {
      statuses.push((await gateway.gql(query)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect((await first.gql(query)).status).toBe(429);
    expect((await second.gql(query)).status).toBe(429);
  });

  it('keeps no raw IP address in Redis', async () => {
    const keys = await redis.keys(`${prefix}rl:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).not.toMatch(/127\.0\.0\.1|::1|ffff/);
  });
});

describe('the memory rate limiter', () => {
  it('adds weights within a window and starts again in the next one', async () => {
    const limiter = memoryRateLimiter(10);
    const t = Date.UTC(2026, 0, 1, 0, 0, 3);
    expect(await limiter.hit('k', 4, 5, t)).toEqual({
      allowed: true,
      count: 4,
      retryAfterSeconds: 7,
    });
    expect((await limiter.hit('k', 2, 5, t + 1000)).allowed).toBe(false);
    expect(await limiter.hit('k', 1, 5, t + 7000)).toEqual({
      allowed: true,
      count: 1,
      retryAfterSeconds: 10,
    });
  });
});
