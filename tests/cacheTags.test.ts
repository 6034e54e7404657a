import { describeEachDatabase } from './helpers/databases';
import { bearer } from './helpers/editorial';
import { readExampleOperations } from './helpers/exampleOperations';
import { articleFile } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { createToken } from '../src/access/apiTokens';
import { cacheTagValue } from '../src/plugins/cacheTagsPlugin';
import { decodeGlobalId } from '../src/relay/globalId';

const examples = new Map(readExampleOperations().map(example => [example.name, example]));
const example = (name: string) => {
  const found = examples.get(name);
  if (!found) throw new Error(`docs/queries/${name}.graphql is missing`);
  return found;
};

const articleBySlug = /* GraphQL */ `
  query ($slug: String!) {
    article(slug: $slug) {
      id
      title
    }
  }
`;

const mostRead = /* GraphQL */ `
  query {
    mostRead(first: 3) {
      edges {
        node {
          id
          title
        }
      }
    }
  }
`;

const tagList = /* GraphQL */ `
  query {
    tags(first: 10) {
      edges {
        node {
          id
          slug
        }
      }
    }
  }
`;

/** The internal id of a global id, as cache keys name it. */
const internal = (id: string) => decodeGlobalId(id)?.internalId;
const keysOf = (response: { headers: Headers }, header = 'cache-tag') =>
  (response.headers.get(header) ?? '').split(header === 'cache-tag' ? ',' : ' ');

const files = [
  articleFile({
    slug: 'eins',
    title: 'Eins',
    date: '2026-10-01T08:00:00Z',
    authors: ['anna-berger'],
    tags: ['politik', 'wirtschaft'],
  }),
  articleFile({
    slug: 'zwei',
    title: 'Zwei',
    date: '2026-10-02T08:00:00Z',
    authors: ['ben-kraus'],
    tags: ['politik'],
  }),
  articleFile({ slug: 'entwurf', status: 'draft', authors: ['anna-berger'], tags: ['politik'] }),
];

describeEachDatabase('cache tags', dialect => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, {
      env: {
        CACHE_TAG_HEADER: 'Cache-Tag',
        CACHE_S_MAXAGE_SECONDS: '3600',
        CACHE_STALE_WHILE_REVALIDATE_SECONDS: '30',
      },
    });
    await gateway.importFiles(files);
  });
  afterAll(() => gateway.close());

  it("tags an article page with the article, its slug, its authors' and tags' keys and the related articles", async () => {
    const page = example('ArticlePage');
    const response = await gateway.gql<{
      article: { id: string; authors: { id: string }[]; tags: { id: string }[] };
    }>(page.source, { slug: 'eins' });
    expect(response.body.errors).toBeUndefined();
    const { article } = response.body.data!;
    const keys = keysOf(response);
    expect(keys).toEqual(
      expect.arrayContaining([
        `a${internal(article.id)}`,
        's:eins',
        ...article.authors.map(author => `u${internal(author.id)}`),
        ...article.tags.map(tag => `t${internal(tag.id)}`),
      ]),
    );
    // related lists change with an article of one of these tags, whose event names the tag: not
    // with every change ('articles').
    expect(keys).not.toContain('articles');
    // related(first: 3) lists "zwei" (it shares politik): its card is in the answer too.
    const zwei = await gateway.gql<{ article: { id: string } }>(articleBySlug, { slug: 'zwei' });
    expect(keys).toContain(`a${internal(zwei.body.data!.article.id)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('tags a null answer for a slug with the slug it asked for, publicly cacheable', async () => {
    const response = await gateway.gql(articleBySlug, { slug: 'noch-nicht-da' });
    expect(response.body.data).toEqual({ article: null });
    expect(response.headers.get('cache-control')).toBe(
      'max-age=300, public, s-maxage=3600, stale-while-revalidate=30',
    );
    expect(response.headers.get('cache-tag')).toBe('s:noch-nicht-da');
  });

  it('tags a draft asked for publicly like an unknown slug: only the slug', async () => {
    const response = await gateway.gql(articleBySlug, { slug: 'entwurf' });
    expect(response.body.data).toEqual({ article: null });
    expect(response.headers.get('cache-tag')).toBe('s:entwurf');
  });

  it('tags the listing with the article lists key and every article it shows', async () => {
    const response = await gateway.gql<{
      articles: { edges: { node: { id: string; primaryAuthor: { id: string } } }[] };
    }>(example('ListingPage').source, { locale: 'de' });
    const edges = response.body.data!.articles.edges;
    expect(edges).toHaveLength(2);
    const keys = keysOf(response);
    expect(keys[0]).toBe('articles');
    for (const { node } of edges) {
      expect(keys).toContain(`a${internal(node.id)}`);
      expect(keys).toContain(`u${internal(node.primaryAuthor.id)}`);
    }
  });

  it("tags a tag page with the tag's key (its list and count) and its articles", async () => {
    const response = await gateway.gql<{
      tag: { id: string; articles: { edges: { node: { id: string } }[] } };
    }>(example('TagPage').source, { slug: 'politik' });
    const { tag } = response.body.data!;
    expect(tag.articles.edges).toHaveLength(2);
    const keys = keysOf(response);
    expect(keys).toContain(`t${internal(tag.id)}`);
    for (const { node } of tag.articles.edges) expect(keys).toContain(`a${internal(node.id)}`);
    expect(keys).not.toContain('articles');
  });

  it('tags mostRead with the rankings key, its s-maxage capped by its window', async () => {
    const response = await gateway.gql(mostRead);
    expect(response.body.errors).toBeUndefined();
    expect(keysOf(response)).toContain('mostread');
    // LAST_7_DAYS is cached 300 s; s-maxage never exceeds what view counts allow.
    expect(response.headers.get('cache-control')).toBe(
      'max-age=300, public, s-maxage=300, stale-while-revalidate=30',
    );
  });

  it('tags the tag list with the tag lists key and each tag', async () => {
    const response = await gateway.gql<{ tags: { edges: { node: { id: string } }[] } }>(tagList);
    const keys = keysOf(response);
    expect(keys[0]).toBe('tags');
    for (const { node } of response.body.data!.tags.edges) {
      expect(keys).toContain(`t${internal(node.id)}`);
    }
  });

  it('sends no keys and no shared lifetimes on private answers: a token, a preview, a mutation, an error', async () => {
    const secret = await createToken(gateway.db, 'vorschau', ['content:preview'], gateway.clock());
    const withToken = await gateway.gql(articleBySlug, { slug: 'eins' }, bearer(secret));
    expect(withToken.headers.get('cache-control')).toBe('private, no-store');
    expect(withToken.headers.get('cache-tag')).toBeNull();
    const preview = await gateway.gql(
      /* GraphQL */ `
        query ($slug: String!) {
          article(slug: $slug, preview: true) {
            title
          }
        }
      `,
      { slug: 'entwurf' },
      bearer(secret),
    );
    expect(preview.headers.get('cache-tag')).toBeNull();
    const failed = await gateway.gql(/* GraphQL */ `
      query {
        article {
          title
        }
      }
    `);
    expect(failed.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(failed.headers.get('cache-tag')).toBeNull();
    const mutation = await gateway.gql(/* GraphQL */ `
      mutation {
        recordView(input: { slug: "eins" }) {
          counted
        }
      }
    `);
    expect(mutation.headers.get('cache-control')).toBe('private, no-store');
    expect(mutation.headers.get('cache-tag')).toBeNull();
  });
});

describeEachDatabase('cache tags for Fastly, capped', dialect => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, {
      env: { CACHE_TAG_HEADER: 'surrogate-key', CACHE_TAG_MAX_BYTES: '20' },
    });
    await gateway.importFiles(files);
  });
  afterAll(() => gateway.close());

  it('separates keys with spaces in Surrogate-Key and keeps plain max-age without s-maxage settings', async () => {
    const response = await gateway.gql(articleBySlug, { slug: 'zwei' });
    expect(response.headers.get('cache-control')).toBe('max-age=300, public');
    expect(response.headers.get('cache-tag')).toBeNull();
    expect(response.headers.get('surrogate-key')).toMatch(/^s:zwei a\d+$/);
  });

  it('replaces the keys with the coarse content key past CACHE_TAG_MAX_BYTES', async () => {
    const response = await gateway.gql(example('ArticlePage').source, { slug: 'eins' });
    expect(response.body.errors).toBeUndefined();
    expect(response.headers.get('surrogate-key')).toBe('content');
  });
});

describeEachDatabase('cache tags off (the default)', dialect => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    await gateway.importFiles(files);
  });
  afterAll(() => gateway.close());

  it('sends neither header', async () => {
    const response = await gateway.gql(articleBySlug, { slug: 'eins' });
    expect(response.headers.get('cache-control')).toBe('max-age=300, public');
    expect(response.headers.get('cache-tag')).toBeNull();
    expect(response.headers.get('surrogate-key')).toBeNull();
  });
});

describe('cacheTagValue', () => {
  it('stays within the byte cap for a hundred-article page and falls back past it', () => {
    const keys = ['articles', ...Array.from({ length: 100 }, (_, index) => `a${100_000 + index}`)];
    const value = cacheTagValue(keys, 'Cache-Tag', 8192);
    expect(value?.split(',')).toEqual(keys);
    expect(cacheTagValue(keys, 'Cache-Tag', 100)).toBe('content');
    expect(cacheTagValue([], 'Surrogate-Key', 100)).toBeNull();
  });
});
