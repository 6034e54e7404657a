import { createHash } from 'node:crypto';
import http from 'node:http';
import { HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import { Registry } from 'prom-client';
import { describeEachDatabase, describeWithRedis } from './helpers/databases';
import {
  bearer,
  createDraft,
  publishArticleMutation,
  updateArticleMutation,
} from './helpers/editorial';
import { articleFile } from './helpers/fixtures';
import { type GatewaysOnRedis, startGatewaysOnRedis } from './helpers/startGatewaysOnRedis';
import { statementsRun } from './helpers/statementsRun';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { createToken } from '../src/access/apiTokens';
import { ResponseCache, sharedLifetimeSeconds } from '../src/http/responseCache';
import { MemoryResponseStore } from '../src/ops/memoryResponseStore';

const articleQuery = /* GraphQL */ `
  query Article($slug: String!) {
    article(slug: $slug) {
      id
      title
      revision
      mainImage {
        url
      }
      tags {
        slug
      }
    }
  }
`;

const previewQuery = /* GraphQL */ `
  query Preview($slug: String!, $previewToken: String) {
    article(slug: $slug, previewToken: $previewToken) {
      title
      status
    }
  }
`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: { data?: Record<string, unknown> | null; errors?: unknown[] } | null;
}

/** A GET as Apollo Client sends it (the preflight header passes Apollo's CSRF prevention). */
async function get(
  url: string,
  params: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const search = new URLSearchParams(
    Object.entries(params).map(([key, value]): [string, string] => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
  const response = await fetch(`${url}/graphql?${search}`, {
    headers: { 'apollo-require-preflight': 'true', ...headers },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text ? JSON.parse(text) : null,
  };
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text ? JSON.parse(text) : null,
  };
}

const titleOf = (answer: Answer) =>
  (answer.json?.data?.article as { title?: string } | null | undefined)?.title;

const files = [
  articleFile({ slug: 'eins', title: 'Eins', tags: ['politik'], image: '/media/eins.jpg' }),
  articleFile({ slug: 'zwei', title: 'Zwei', tags: ['politik'] }),
  articleFile({
    slug: 'entwurf',
    title: 'Entwurf',
    status: 'draft',
    date: null,
    tags: ['politik'],
  }),
];

describeEachDatabase('response cache', dialect => {
  let gateway: TestGateway;
  let writer: string;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, {
      env: { RESPONSE_CACHE: 'true', CACHE_TAG_HEADER: 'Cache-Tag' },
    });
    await gateway.importFiles(files);
    // The import's events reach the feed by its poll; read them now, so that no test sees them late.
    await gateway.gateway.changes.nudge();
    writer = await createToken(
      gateway.db,
      'redaktion',
      ['content:write', 'content:preview'],
      gateway.clock(),
    );
  });
  afterAll(() => gateway.close());

  it('answers a repeated public GET from the cache: no resolver, no SQL, the same answer and headers', async () => {
    const params = { query: articleQuery, variables: { slug: 'eins' } };
    const first = await get(gateway.url, params);
    expect(titleOf(first)).toBe('Eins');
    expect(first.headers.get('x-cache')).toBeNull();
    await gateway.flushViews();
    const before = await statementsRun(gateway);
    const second = await get(gateway.url, params);
    expect(await statementsRun(gateway)).toBe(before);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.headers.get('x-sql-statements')).toBe('0');
    expect(second.text).toBe(first.text);
    for (const name of ['cache-control', 'cache-tag', 'content-type', 'etag']) {
      expect(second.headers.get(name)).toBe(first.headers.get(name));
    }
    expect(second.headers.get('age')).toBe('0');
  });

  it('answers If-None-Match on a hit with 304, and counts the age on the injected clock', async () => {
    const params = { query: articleQuery, variables: { slug: 'zwei' } };
    const first = await get(gateway.url, params);
    gateway.clock.advance(40_000);
    // Through node:http: fetch() sends Cache-Control: no-cache with a conditional request.
    const again = await new Promise<number>((resolve, reject) => {
      const search = new URLSearchParams({ query: articleQuery, variables: '{"slug":"zwei"}' });
      http
        .get(
          `${gateway.url}/graphql?${search}`,
          {
            headers: {
              'apollo-require-preflight': 'true',
              'if-none-match': first.headers.get('etag')!,
            },
          },
          response => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        )
        .on('error', reject);
    });
    expect(again).toBe(304);
    const later = await get(gateway.url, params);
    expect(later.headers.get('x-cache')).toBe('HIT');
    expect(later.headers.get('age')).toBe('40');
    // Never kept past max-age (300 s): after it, the answer is read again.
    gateway.clock.advance(261_000);
    const expired = await get(gateway.url, params);
    expect(expired.headers.get('x-cache')).toBeNull();
    expect(titleOf(expired)).toBe('Zwei');
  });

  it('shows a change at once: an update, and the next GET answers the new title', async () => {
    const params = { query: articleQuery, variables: { slug: 'eins' } };
    const cached = await get(gateway.url, params);
    const article = cached.json!.data!.article as { id: string; revision: number };
    expect((await get(gateway.url, params)).headers.get('x-cache')).toBe('HIT');
    const updated = await gateway.gql(
      updateArticleMutation,
      { input: { id: article.id, expectedRevision: article.revision, title: 'Eins, berichtigt' } },
      bearer(writer),
    );
    expect(updated.body.errors).toBeUndefined();
    // The change feed's listener dropped the answer before the mutation answered.
    const fresh = await get(gateway.url, params);
    expect(fresh.headers.get('x-cache')).toBeNull();
    expect(titleOf(fresh)).toBe('Eins, berichtigt');
  });

  it('keeps a null answer for an unknown slug until an article is published under it', async () => {
    const params = { query: articleQuery, variables: { slug: 'bald' } };
    expect((await get(gateway.url, params)).json?.data).toEqual({ article: null });
    expect((await get(gateway.url, params)).headers.get('x-cache')).toBe('HIT');
    const draft = await createDraft(gateway, writer, { title: 'Bald', slug: 'bald' });
    // A draft is not public: the cached null stays right, and stays.
    expect((await get(gateway.url, params)).json?.data).toEqual({ article: null });
    const published = await gateway.gql(
      publishArticleMutation,
      { input: { id: draft.id } },
      bearer(writer),
    );
    expect(published.body.errors).toBeUndefined();
    const fresh = await get(gateway.url, params);
    expect(fresh.headers.get('x-cache')).toBeNull();
    expect(titleOf(fresh)).toBe('Bald');
  });

  it('drops an article page when an article sharing one of its tags is published (its related list)', async () => {
    const pageQuery = /* GraphQL */ `
      query Page($slug: String!) {
        article(slug: $slug) {
          title
          related(first: 5) {
            slug
          }
        }
      }
    `;
    const params = { query: pageQuery, variables: { slug: 'zwei' } };
    const before = await get(gateway.url, params);
    const related = (answer: Answer) =>
      (answer.json?.data?.article as { related: { slug: string }[] }).related.map(a => a.slug);
    expect(related(before)).not.toContain('neu-zum-thema');
    expect((await get(gateway.url, params)).headers.get('x-cache')).toBe('HIT');
    const tag = await gateway.gql<{ tag: { id: string } }>(`{ tag(slug: "politik") { id } }`);
    const draft = await createDraft(gateway, writer, {
      title: 'Neu zum Thema',
      slug: 'neu-zum-thema',
      locale: 'de',
      tagIds: [tag.body.data!.tag.id],
    });
    const published = await gateway.gql(
      publishArticleMutation,
      { input: { id: draft.id } },
      bearer(writer),
    );
    expect(published.body.errors).toBeUndefined();
    const after = await get(gateway.url, params);
    expect(after.headers.get('x-cache')).toBeNull();
    expect(related(after)).toContain('neu-zum-thema');
  });

  it('drops the answers of the keys it is given (gateway.caching.invalidate)', async () => {
    const params = { query: articleQuery, variables: { slug: 'zwei' } };
    await get(gateway.url, params);
    expect((await get(gateway.url, params)).headers.get('x-cache')).toBe('HIT');
    await gateway.gateway.caching.invalidate(['s:zwei']);
    expect((await get(gateway.url, params)).headers.get('x-cache')).toBeNull();
  });

  it('answers a persisted query sent by hash from the cache, but never a POST with query text', async () => {
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(articleQuery) } };
    const variables = { slug: 'zwei' };
    const registered = await post(gateway.url, { query: articleQuery, variables, extensions });
    expect(titleOf(registered)).toBe('Zwei');
    const again = await post(gateway.url, { query: articleQuery, variables, extensions });
    expect(again.headers.get('x-cache')).toBeNull();
    const byHash = await post(gateway.url, { variables, extensions });
    expect(titleOf(byHash)).toBe('Zwei');
    const hit = await post(gateway.url, { variables, extensions });
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.text).toBe(byHash.text);
    const other = await post(gateway.url, { variables: { slug: 'eins' }, extensions });
    expect(other.headers.get('x-cache')).toBeNull();
  });

  it('never answers a request with Authorization from the cache, nor stores its answer', async () => {
    const params = { query: articleQuery, variables: { slug: 'zwei' } };
    await get(gateway.url, params);
    expect((await get(gateway.url, params)).headers.get('x-cache')).toBe('HIT');
    const withToken = await get(gateway.url, params, bearer(writer));
    expect(withToken.headers.get('x-cache')).toBeNull();
    expect(withToken.headers.get('cache-control')).toBe('private, no-store');
  });

  it('never stores a preview (a preview link without Authorization is private)', async () => {
    const draft = await gateway.gql<{ article: { id: string } }>(
      /* GraphQL */ `
        query {
          article(slug: "entwurf", preview: true) {
            id
          }
        }
      `,
      {},
      bearer(writer),
    );
    const link = await gateway.gql<{ createPreviewLink: { token: string } }>(
      /* GraphQL */ `
        mutation ($input: CreatePreviewLinkInput!) {
          createPreviewLink(input: $input) {
            token
          }
        }
      `,
      { input: { articleId: draft.body.data!.article.id } },
      bearer(writer),
    );
    const params = {
      query: previewQuery,
      variables: { slug: 'entwurf', previewToken: link.body.data!.createPreviewLink.token },
    };
    const first = await get(gateway.url, params);
    expect(first.json?.data?.article).toMatchObject({ status: 'DRAFT' });
    const second = await get(gateway.url, params);
    expect(second.headers.get('x-cache')).toBeNull();
    expect(second.headers.get('cache-control')).toBe('private, no-store');
  });

  it('keeps answers apart by Accept and by Host (absolute media URLs), and refuses what Apollo refuses', async () => {
    const params = { query: articleQuery, variables: { slug: 'eins' } };
    const json = await get(gateway.url, params, { accept: 'application/json' });
    const graphqlJson = await get(gateway.url, params, {
      accept: 'application/graphql-response+json',
    });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(graphqlJson.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    const again = await get(gateway.url, params, { accept: 'application/graphql-response+json' });
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect(again.headers.get('content-type')).toBe(graphqlJson.headers.get('content-type'));
    const url = new URL(gateway.url);
    const viaLocalhost = await get(`http://localhost:${url.port}`, params);
    const image = (answer: Answer) =>
      (answer.json?.data?.article as { mainImage: { url: string } }).mainImage.url;
    expect(image(viaLocalhost)).toMatch(/^http:\/\/localhost:/);
    expect(image(await get(gateway.url, params))).toMatch(/^http:\/\/127\.0\.0\.1:/);
    // Without the preflight header Apollo's CSRF prevention refuses the GET: so does the cache.
    const search = new URLSearchParams({ query: articleQuery, variables: '{"slug":"eins"}' });
    const simple = await fetch(`${gateway.url}/graphql?${search}`);
    expect(simple.status).toBe(400);
    expect(simple.headers.get('x-cache')).toBeNull();
  });

  it('counts hits, misses and stores in /metrics', async () => {
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_response_cache_total\{result="hit"\} [1-9]/);
    expect(metrics).toMatch(/gateway_response_cache_total\{result="stored"\} [1-9]/);
  });
});

describeEachDatabase('response cache off (the default)', dialect => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    await gateway.importFiles(files);
  });
  afterAll(() => gateway.close());

  it('runs every GET through Apollo', async () => {
    const params = { query: articleQuery, variables: { slug: 'eins' } };
    await get(gateway.url, params);
    const second = await get(gateway.url, params);
    expect(second.headers.get('x-cache')).toBeNull();
    expect(Number(second.headers.get('x-sql-statements'))).toBeGreaterThan(0);
  });
});

describe('MemoryResponseStore', () => {
  const stored = (body: string) => ({ status: 200, headers: [], body, storedAt: 0 });

  it('evicts the least recently used answers past its byte cap and drops answers by key', async () => {
    let now = 0;
    // About 2.5 KB an entry (body, key and tags twice over, and the overhead): four fit in 12 KB.
    const store = new MemoryResponseStore(12_000, () => now);
    await store.set('a', stored('x'.repeat(1000)), 10_000, ['a1', 'articles']);
    await store.set('b', stored('y'.repeat(1000)), 10_000, ['a2', 'articles']);
    await store.set('c', stored('z'.repeat(1000)), 10_000, ['a3']);
    await store.set('d', stored('w'.repeat(1000)), 10_000, ['a4']);
    await store.get('a');
    await store.set('e', stored('v'.repeat(1000)), 10_000, ['a5']);
    // 'b' was used least recently: it went to make room.
    expect(await store.get('b')).toBeNull();
    expect(await store.get('a')).not.toBeNull();
    expect(store.size).toBeLessThanOrEqual(12_000);
    // Larger than a quarter of the cap: not kept.
    await store.set('big', stored('u'.repeat(2000)), 10_000, ['a6']);
    expect(await store.get('big')).toBeNull();
    await store.invalidate(['articles']);
    expect(await store.get('a')).toBeNull();
    expect(await store.get('c')).not.toBeNull();
    now = 10_000;
    for (const key of ['c', 'd', 'e']) expect(await store.get(key)).toBeNull();
    expect(store.size).toBe(0);
  });
});

describeWithRedis('response cache on Redis', redisUrl => {
  let pair: GatewaysOnRedis;

  beforeAll(async () => {
    pair = await startGatewaysOnRedis(redisUrl, {
      env: { RESPONSE_CACHE: 'true', PUBLIC_URL: 'https://api.example.com' },
    });
    await pair.first.importFiles(files);
    await pair.second.importFiles(files);
  });
  afterAll(() => pair.close());

  it('shares answers between replicas and drops them for both on a change', async () => {
    const params = { query: articleQuery, variables: { slug: 'eins' } };
    const first = await get(pair.first.url, params);
    expect(titleOf(first)).toBe('Eins');
    await pair.second.flushViews();
    const before = await statementsRun(pair.second);
    const fromOther = await get(pair.second.url, params);
    expect(fromOther.headers.get('x-cache')).toBe('HIT');
    expect(await statementsRun(pair.second)).toBe(before);
    expect(fromOther.text).toBe(first.text);
    const tagKeys = await pair.redis.keys(`${pair.prefix}rc:t:*`);
    expect(tagKeys.length).toBeGreaterThan(0);
    expect(await pair.redis.ttl(tagKeys[0])).toBeGreaterThan(0);
    await pair.first.gateway.caching.invalidate(['s:eins']);
    expect((await get(pair.second.url, params)).headers.get('x-cache')).toBeNull();
  });
});

describe('ResponseCache.store', () => {
  const answer = (cacheControl: string): HTTPGraphQLResponse => ({
    status: 200,
    headers: new HeaderMap([
      ['content-type', 'application/json'],
      ['cache-control', cacheControl],
      ['x-sql-statements', '4'],
    ]),
    body: { kind: 'complete', string: '{"data":{"article":null}}' },
  });

  function cacheOf() {
    const now = new Date('2026-12-01T00:00:00Z');
    const store = new MemoryResponseStore(1_000_000, () => now.getTime());
    const cache = new ResponseCache({
      store,
      clock: () => now,
      registry: new Registry(),
      fixedBaseUrl: true,
      exposeStatementCount: false,
    });
    return { cache, store };
  }

  it('does not keep an answer computed while an invalidation happened (it may predate the change)', async () => {
    const { cache, store } = cacheOf();
    const mark = cache.mark;
    await cache.invalidate(['s:bald']);
    await cache.store('k', mark, answer('max-age=300, public'), ['s:bald']);
    expect(await store.get('k')).toBeNull();
    await cache.store('k', cache.mark, answer('max-age=300, public'), ['s:bald']);
    const kept = await store.get('k');
    expect(kept?.headers).toEqual([
      ['content-type', 'application/json'],
      ['cache-control', 'max-age=300, public'],
    ]);
  });

  it('keeps public answers only, for s-maxage where set', async () => {
    const { cache, store } = cacheOf();
    await cache.store('private', cache.mark, answer('private, no-store'), []);
    expect(await store.get('private')).toBeNull();
    expect(sharedLifetimeSeconds('max-age=300, public, s-maxage=3600')).toBe(3600);
    expect(sharedLifetimeSeconds('max-age=60, public')).toBe(60);
    expect(sharedLifetimeSeconds('max-age=0, public')).toBeNull();
    expect(sharedLifetimeSeconds('private, no-store')).toBeNull();
  });
});
