import { describeEachDatabase } from './helpers/databases';
import { articleFile, articleSeries } from './helpers/fixtures';
import type { Json } from './helpers/Json';
import { startTestGateway, type TestGateway } from './helpers/testGateway';

const articlesQuery = /* GraphQL */ `
  query Page($first: Int, $after: String, $orderBy: ArticleOrder) {
    articles(first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      edges {
        cursor
        node {
          slug
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`;

const total = 23;

describeEachDatabase(
  'cursor pagination',
  dialect => {
    let gateway: TestGateway;

    /** Follows endCursor until hasNextPage is false; returns every slug in the order served. */
    async function pageThrough(first: number, orderBy: string): Promise<string[]> {
      const slugs: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 100; pages += 1) {
        const { body }: { body: { data?: Json | null; errors?: unknown } } =
          await gateway.gql<Json>(articlesQuery, { first, after, orderBy });
        expect(body.errors).toBeUndefined();
        const connection: Json = body.data?.articles;
        expect(connection.totalCount).toBe(total);
        expect(connection.edges.length).toBeLessThanOrEqual(first);
        expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
        slugs.push(...connection.edges.map((edge: Json) => edge.node.slug));
        if (!connection.pageInfo.hasNextPage) return slugs;
        expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1).cursor);
        after = connection.pageInfo.endCursor;
      }
      throw new Error('paging did not end');
    }

    beforeAll(async () => {
      gateway = await startTestGateway(dialect);
      // Three articles share one publication time, so the id must break ties.
      await gateway.importFiles([
        ...articleSeries(20),
        ...['gleich-a', 'gleich-b', 'gleich-c'].map(slug =>
          articleFile({
            slug,
            title: `Gleichstand ${slug.slice(-1)}`,
            date: '2026-01-10T00:00:00Z',
          }),
        ),
      ]);
    });
    afterAll(() => gateway.close());

    it.each(['PUBLISHED_AT_DESC', 'PUBLISHED_AT_ASC', 'UPDATED_AT_DESC', 'TITLE_ASC'])(
      'visits every published article exactly once in %s order, whatever the page size',
      async orderBy => {
        const all = await pageThrough(100, orderBy);
        expect(all).toHaveLength(total);
        expect(new Set(all).size).toBe(total);
        for (const first of [1, 2, 7, 20]) {
          expect(await pageThrough(first, orderBy)).toEqual(all);
        }
      },
    );

    it('orders titles case- and accent-insensitively', async () => {
      await gateway.importFiles([
        articleFile({ slug: 'aepfel', title: 'Äpfel', date: '2020-01-01T00:00:00Z' }),
        articleFile({ slug: 'birnen', title: 'birnen', date: '2020-01-02T00:00:00Z' }),
        articleFile({ slug: 'zebra', title: 'Zebra', date: '2020-01-03T00:00:00Z' }),
      ]);
      try {
        const { body } = await gateway.gql<Json>(articlesQuery, {
          first: 100,
          orderBy: 'TITLE_ASC',
        });
        const slugs = body.data?.articles.edges.map((edge: Json) => edge.node.slug);
        expect(
          slugs.filter((slug: string) => ['aepfel', 'birnen', 'zebra'].includes(slug)),
        ).toEqual(['aepfel', 'birnen', 'zebra']);
      } finally {
        await gateway.db.query("DELETE FROM article WHERE slug IN ('aepfel', 'birnen', 'zebra')");
      }
    });

    it('keeps a cursor valid when new articles are published before and after it', async () => {
      const first = await gateway.gql<Json>(articlesQuery, { first: 5 });
      const seen: string[] = first.body.data?.articles.edges.map((edge: Json) => edge.node.slug);
      await gateway.importFiles([
        articleFile({ slug: 'ganz-neu', date: '2026-11-28T00:00:00Z' }),
        articleFile({ slug: 'ganz-alt', date: '2019-01-01T00:00:00Z' }),
      ]);
      try {
        const next = await gateway.gql<Json>(articlesQuery, {
          first: 100,
          after: first.body.data?.articles.pageInfo.endCursor,
        });
        const rest: string[] = next.body.data?.articles.edges.map((edge: Json) => edge.node.slug);
        expect(rest).not.toContain('ganz-neu');
        expect(rest.at(-1)).toBe('ganz-alt');
        expect(rest.filter(slug => seen.includes(slug))).toEqual([]);
        expect(seen.length + rest.length).toBe(total + 1);
      } finally {
        await gateway.db.query("DELETE FROM article WHERE slug IN ('ganz-neu', 'ganz-alt')");
      }
    });

    it.each([0, 101, -1])('refuses first: %d with BAD_USER_INPUT naming the limit', async first => {
      for (const query of [
        articlesQuery,
        `query ($first: Int) { authors(first: $first) { totalCount } }`,
        `query ($first: Int) { tags(first: $first) { totalCount } }`,
        `query ($first: Int) { tag(slug: "thema-1") { articles(first: $first) { totalCount } } }`,
        `query ($first: Int) { author(slug: "autor-1") { articles(first: $first) { totalCount } } }`,
        `query ($first: Int) { article(slug: "serie-001") { related(first: $first) { slug } } }`,
      ]) {
        const { status, body } = await gateway.gql(query, { first });
        expect(status).toBe(400);
        expect(body.errors?.[0]).toMatchObject({
          message: `first must be between 1 and 100, got ${first}.`,
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
    });

    it('refuses a cursor that is forged or belongs to another ordering with HTTP 400, as first', async () => {
      const { body } = await gateway.gql<Json>(articlesQuery, { first: 1 });
      const cursor = body.data?.articles.pageInfo.endCursor;
      for (const [after, orderBy] of [
        ['bm9wZQ', 'PUBLISHED_AT_DESC'],
        ['%%%', 'PUBLISHED_AT_DESC'],
        [Buffer.from('["PUBLISHED_AT_DESC","x",1]').toString('base64url'), 'PUBLISHED_AT_DESC'],
        [cursor, 'TITLE_ASC'],
      ]) {
        const response = await gateway.gql(articlesQuery, { first: 5, after, orderBy });
        expect(response.status).toBe(400);
        expect(response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
        expect(response.body.errors?.[0].message).toMatch(/^after must be a cursor/);
      }
    });

    it('pages through an author’s articles with the cursors of Author.articles', async () => {
      const query = /* GraphQL */ `
        query ($after: String) {
          author(slug: "autor-1") {
            articles(first: 2, after: $after) {
              totalCount
              edges {
                node {
                  slug
                }
              }
              pageInfo {
                hasNextPage
                endCursor
              }
            }
          }
        }
      `;
      const slugs: string[] = [];
      let after: string | null = null;
      let hasNextPage = true;
      let totalCount = 0;
      while (hasNextPage) {
        const { body }: { body: { data?: Json | null } } = await gateway.gql<Json>(query, {
          after,
        });
        const articles: Json = body.data?.author.articles;
        slugs.push(...articles.edges.map((edge: Json) => edge.node.slug));
        ({ hasNextPage, endCursor: after } = articles.pageInfo);
        totalCount = articles.totalCount;
      }
      expect(slugs).toEqual([
        'serie-017',
        'serie-013',
        'serie-012',
        'serie-009',
        'serie-005',
        'serie-001',
        'serie-000',
      ]);
      expect(totalCount).toBe(slugs.length);
    });
  },
  { betterSqlite3: true },
);
