import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { describeEachDatabase, describeWithRedis } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { type GatewaysOnRedis, startGatewaysOnRedis } from './helpers/startGatewaysOnRedis';
import { type TestGateway, startTestGateway } from './helpers/testGateway';

const articleQuery = /* GraphQL */ `
  query ArticleTitle($slug: String!) {
    article(slug: $slug) {
      title
      authors {
        name
      }
      tags {
        name
      }
    }
  }
`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A GET as Apollo Client or a CDN-fronted app sends it (the preflight header passes CSRF checks). */
async function get(
  gateway: TestGateway,
  params: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const search = new URLSearchParams(
    Object.entries(params).map(([key, value]): [string, string] => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
  const response = await fetch(`${gateway.url}/graphql?${search}`, {
    headers: { 'apollo-require-preflight': 'true', ...headers },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : null) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    } | null,
  };
}

/**
 * A GET through node:http: fetch() adds `Cache-Control: no-cache` to conditional requests (the Fetch
 * standard's HTTP-network-or-cache fetch), which rightly makes any server answer 200, not 304.
 */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    http
      .get(url, { headers }, response => {
        let body = '';
        response.on('data', chunk => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describeEachDatabase('HTTP caching', dialect => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    await gateway.importFiles(articleSeries(6));
  });
  afterAll(() => gateway.close());

  it('serves a published article publicly for CACHE_MAX_AGE_SECONDS over GET and POST', async () => {
    const viaGet = await get(gateway, { query: articleQuery, variables: { slug: 'serie-001' } });
    expect(viaGet.status).toBe(200);
    expect(viaGet.body?.data?.article).toMatchObject({ title: 'Serie 1' });
    expect(viaGet.headers.get('cache-control')).toBe('max-age=300, public');
    const viaPost = await gateway.gql(articleQuery, { slug: 'serie-001' });
    expect(viaPost.headers.get('cache-control')).toBe('max-age=300, public');
  });

  it('answers a GET with an ETag, and 304 without a body when If-None-Match matches', async () => {
    const params = { query: articleQuery, variables: { slug: 'serie-002' } };
    const first = await get(gateway, params);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/".+"$/);
    const url = `${gateway.url}/graphql?${new URLSearchParams({
      query: articleQuery,
      variables: JSON.stringify(params.variables),
    })}`;
    const headers = { 'apollo-require-preflight': 'true' };
    const again = await rawGet(url, { ...headers, 'if-none-match': etag as string });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    const other = await rawGet(url, { ...headers, 'if-none-match': 'W/"something-else"' });
    expect(other.status).toBe(200);
    expect(JSON.parse(other.body).data.article.title).toBe('Serie 2');
  });

  it('makes any request with an Authorization header private and uncacheable', async () => {
    const response = await gateway.gql(
      articleQuery,
      { slug: 'serie-001' },
      { authorization: 'Bearer cgt_not-a-real-token' },
    );
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('never lets a shared cache keep an error answer', async () => {
    const response = await gateway.gql('{ articles(first: 0) { totalCount } }');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('caches a 24-hour mostRead for 60 seconds and a 30-day one for 15 minutes', async () => {
    const mostRead = (window: string) =>
      get(gateway, {
        query: `{ mostRead(first: 3, window: ${window}) { edges { rank node { title } } } }`,
      });
    const day = await mostRead('LAST_24_HOURS');
    expect(day.body?.errors).toBeUndefined();
    expect(day.headers.get('cache-control')).toBe('max-age=60, public');
    expect((await mostRead('LAST_7_DAYS')).headers.get('cache-control')).toBe(
      'max-age=300, public',
    );
    expect((await mostRead('LAST_30_DAYS')).headers.get('cache-control')).toBe(
      'max-age=900, public',
    );
  });

  it('caches an article with its 24-hour view count for no longer than 60 seconds', async () => {
    const response = await get(gateway, {
      query: '{ article(slug: "serie-001") { title viewCount(window: LAST_24_HOURS) } }',
    });
    expect(response.body?.errors).toBeUndefined();
    expect(response.headers.get('cache-control')).toBe('max-age=60, public');
  });

  it('answers viewStats private and uncacheable', async () => {
    const { createToken } = await import('../src/access/apiTokens');
    const secret = await createToken(
      gateway.db,
      `cache-${randomBytes(3).toString('hex')}`,
      ['analytics:read'],
      gateway.clock(),
    );
    const response = await gateway.gql(
      /* GraphQL */ `
        query Stats($from: DateTime!, $to: DateTime!) {
          viewStats(from: $from, to: $to, granularity: DAY, first: 5) {
            edges {
              node {
                total
                article {
                  slug
                }
              }
            }
          }
        }
      `,
      { from: '2026-11-20T00:00:00Z', to: '2026-11-29T00:00:00Z' },
      { authorization: `Bearer ${secret}` },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  describe('automatic persisted queries', () => {
    const query = '{ tags(first: 5) { edges { node { name } } } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };

    it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND that no cache may keep', async () => {
      const miss = await get(gateway, {
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256(`${query} `) } },
      });
      expect(miss.body?.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(miss.headers.get('cache-control')).toMatch(/no-cache|no-store/);
      expect(miss.headers.get('cache-control')).not.toMatch(/public|max-age=[1-9]/);
    });

    it('serves a registered query by its hash over GET, cacheable by a CDN', async () => {
      const register = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, extensions }),
      });
      expect(register.status).toBe(200);
      const hit = await get(gateway, { extensions });
      expect(hit.status).toBe(200);
      expect(hit.body?.data?.tags).toBeTruthy();
      expect(hit.headers.get('cache-control')).toBe('max-age=300, public');
      expect(hit.headers.get('etag')).toBeTruthy();
    });
  });
});

describeWithRedis('automatic persisted queries in Redis', redisUrl => {
  let gateways: GatewaysOnRedis;
  let first: TestGateway;
  let second: TestGateway;
  let redis: GatewaysOnRedis['redis'];
  let prefix: string;

  beforeAll(async () => {
    gateways = await startGatewaysOnRedis(redisUrl);
    ({ first, second, redis, prefix } = gateways);
    await first.importFiles(articleSeries(3));
    await second.importFiles(articleSeries(3));
  });
  afterAll(() => gateways.close());

  it('registers a query on one gateway and serves it by hash from another', async () => {
    const query = '{ authors(first: 3) { edges { node { name } } } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const miss = await get(second, { extensions });
    expect(miss.body?.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    await first.gql(query, undefined, {});
    const register = await fetch(`${first.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, extensions }),
    });
    expect(register.status).toBe(200);
    expect(await redis.keys(`${prefix}apq:*`)).toHaveLength(1);
    const hit = await get(second, { extensions });
    expect(hit.status).toBe(200);
    expect(hit.body?.data?.authors).toBeTruthy();
  });
});
