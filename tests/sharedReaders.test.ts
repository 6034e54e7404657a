import net from 'node:net';
import { describeWithRedis } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { type GatewaysOnRedis, startGatewaysOnRedis } from './helpers/startGatewaysOnRedis';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { browserAgent } from './helpers/views';

const liveQuery = /* GraphQL */ `
  query ReadersNow($first: Int) {
    liveArticles(first: $first) {
      edges {
        readers
        node {
          slug
          readersNow
        }
      }
    }
  }
`;

async function beacon(
  gateway: TestGateway,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${gateway.url}/views`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': browserAgent },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

async function live(gateway: TestGateway): Promise<[string, number, number][]> {
  const { body } = await gateway.gql<{
    liveArticles: { edges: { readers: number; node: { slug: string; readersNow: number } }[] };
  }>(liveQuery, { first: 5 });
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!.liveArticles.edges.map(edge => [
    edge.node.slug,
    edge.readers,
    edge.node.readersNow,
  ]);
}

describeWithRedis('readers now and engagement view ids shared by replicas', redisUrl => {
  let pair: GatewaysOnRedis;

  beforeEach(async () => {
    pair = await startGatewaysOnRedis(redisUrl);
    await pair.first.importFiles(articleSeries(4));
    await pair.second.importFiles(articleSeries(4));
  });
  afterEach(() => pair.close());

  it('counts a reader seen on one replica in readersNow and liveArticles on the other', async () => {
    const { first, second, redis, prefix } = pair;
    for (const [gateway, slug, visitorId] of [
      [first, 'serie-000', 'leser-1'],
      [first, 'serie-000', 'leser-2'],
      [second, 'serie-001', 'leser-3'],
      // A repeat on the other replica is the same reader, counted once.
      [second, 'serie-000', 'leser-1'],
    ] as const) {
      await beacon(gateway, { slug, visitorId });
    }
    const expected = [
      ['serie-000', 2, 2],
      ['serie-001', 1, 1],
    ];
    expect(await live(second)).toEqual(expected);
    expect(await live(first)).toEqual(expected);
    // Only the visitors' 8-byte hashes are in Redis, never their ids.
    const articles = await redis.zrange(`${prefix}live`, 0, -1);
    expect(articles).toHaveLength(2);
    const members = (
      await Promise.all(articles.map(id => redis.zrangeBuffer(`${prefix}l:${id}`, 0, -1)))
    ).flat();
    expect(members.map(member => member.length)).toEqual([8, 8, 8]);
    expect(members.some(member => member.toString('latin1').includes('leser'))).toBe(false);
    // Five minutes (and the 10 s cache) later, no one reads now, on either replica.
    for (const gateway of [first, second]) gateway.clock.advance(5 * 60_000 + 10_000);
    expect(await live(first)).toEqual([]);
    expect(await live(second)).toEqual([]);
  });

  it('takes the one engagement report of a view recorded on one replica on any replica', async () => {
    const { first, second, redis, prefix } = pair;
    expect(
      await beacon(first, { slug: 'serie-002', visitorId: 'leser-4', viewId: 'ansicht-0001' }),
    ).toEqual({ counted: true, reason: null });
    const report = { viewId: 'ansicht-0001', visibleSeconds: 45 };
    expect(await beacon(second, report)).toEqual({ counted: true, reason: null, read: true });
    expect(await beacon(first, report)).toEqual({ counted: false, reason: 'REPEAT', read: false });
    expect(await beacon(second, { viewId: 'ansicht-0404', visibleSeconds: 5 })).toEqual({
      counted: false,
      reason: 'UNKNOWN_VIEW',
      read: false,
    });
    // The id is kept as 8 bytes of its hash, with the view's article and hour, for a while only.
    const keys = await redis.keysBuffer(`${prefix}e*`);
    expect(keys.map(key => key.length - prefix.length).sort()).toEqual([10, 11]);
    expect(keys.some(key => key.toString('latin1').includes('ansicht'))).toBe(false);
    for (const key of keys) expect(await redis.pttl(key)).toBeGreaterThan(2 * 3_600_000);
    // The report is counted where it arrived, in the hour of its view.
    await second.flushViews();
    const rows: { reads: number }[] = await second.db.query(
      'SELECT SUM(reads) AS reads FROM article_engagement_total',
    );
    expect(Number(rows[0].reads)).toBe(1);
  });
});

/** A port nothing listens on: a Redis that is never reachable. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

describeWithRedis('readers now and engagement while Redis is unreachable', () => {
  it('counts readers and takes reports in this process instead', async () => {
    const gateway = await startTestGateway('sqlite', {
      env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` },
    });
    try {
      await gateway.importFiles(articleSeries(2));
      for (const visitorId of ['a', 'b']) {
        await beacon(gateway, { slug: 'serie-000', visitorId, viewId: `ansicht-${visitorId}000` });
      }
      expect(await live(gateway)).toEqual([['serie-000', 2, 2]]);
      const report = { viewId: 'ansicht-a000', visibleSeconds: 5 };
      expect(await beacon(gateway, report)).toEqual({ counted: true, reason: null, read: false });
      expect(await beacon(gateway, report)).toMatchObject({ counted: false, reason: 'REPEAT' });
    } finally {
      await gateway.close();
    }
  }, 20_000);
});
