import { describeEachDatabase } from './helpers/databases';
import { articleFile } from './helpers/fixtures';
import type { Json } from './helpers/Json';
import { startTestGateway, type TestGateway } from './helpers/testGateway';

const searchQuery = /* GraphQL */ `
  query Search($search: String!, $orderBy: ArticleOrder, $first: Int, $after: String) {
    articles(first: $first, after: $after, filter: { search: $search }, orderBy: $orderBy) {
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
`;

describeEachDatabase(
  'full-text search',
  dialect => {
    let gateway: TestGateway;

    async function search(text: string, orderBy?: string): Promise<string[]> {
      const { body } = await gateway.gql<Json>(searchQuery, { search: text, orderBy, first: 100 });
      expect(body.errors).toBeUndefined();
      const slugs = body.data?.articles.edges.map((edge: Json) => edge.node.slug);
      expect(body.data?.articles.totalCount).toBe(slugs.length);
      return slugs;
    }

    beforeAll(async () => {
      gateway = await startTestGateway(dialect);
      await gateway.importFiles([
        articleFile({
          slug: 'ueberblick-titel',
          title: 'Ein Überblick über Gehälter',
          date: '2026-01-01T00:00:00Z',
          body: 'Was man in Verhandlungen wissen sollte.\n\n## Zahlen\n\nDie Tabelle zeigt Spannen.',
        }),
        articleFile({
          slug: 'ueberblick-text',
          title: 'Verhandeln lernen',
          date: '2026-02-01T00:00:00Z',
          body: 'Am Ende steht ein kurzer Überblick.\n\n## Mehr\n\nUnd noch ein Absatz.',
        }),
        articleFile({
          slug: 'strasse',
          title: 'Arbeiten an der Hauptstraße',
          date: '2026-03-01T00:00:00Z',
          body: 'Ein Büro an einer lauten Straße hat Vor- und Nachteile.',
        }),
        articleFile({
          slug: 'englisch',
          title: 'Salary bands explained',
          locale: 'en',
          date: '2026-04-01T00:00:00Z',
          excerpt: 'Why transparent salary bands help negotiations.',
          body: 'Companies publish ranges.\n\n## Why\n\nBecause fairness matters.',
        }),
        articleFile({
          slug: 'entwurf',
          title: 'Geheimer Überblick',
          status: 'draft',
          date: null,
          body: 'Überblick im Entwurf.',
        }),
      ]);
    });
    afterAll(() => gateway.close());

    it('matches umlauts by their plain and their ae/oe/ue spellings', async () => {
      const expected = ['ueberblick-titel', 'ueberblick-text'];
      expect(await search('Überblick')).toEqual(expected);
      expect(await search('Uberblick')).toEqual(expected);
      expect(await search('ueberblick')).toEqual(expected);
      expect(await search('gehalter')).toEqual(['ueberblick-titel']);
    });

    it('matches ß by ss, and words by their beginning', async () => {
      expect(await search('strasse')).toEqual(['strasse']);
      expect(await search('Straße')).toEqual(['strasse']);
      expect(await search('hauptstr')).toEqual(['strasse']);
    });

    it('ranks a title match above a body match and needs every word to match', async () => {
      expect(await search('überblick verhandlungen')).toEqual(['ueberblick-titel']);
      expect(await search('salary negotiations')).toEqual(['englisch']);
      expect(await search('überblick nirgendwo')).toEqual([]);
    });

    it('sorts search results by date when asked and pages through them by relevance', async () => {
      expect(await search('überblick', 'PUBLISHED_AT_DESC')).toEqual([
        'ueberblick-text',
        'ueberblick-titel',
      ]);
      const first = await gateway.gql<Json>(searchQuery, { search: 'überblick', first: 1 });
      expect(first.body.data?.articles.edges[0].node.slug).toBe('ueberblick-titel');
      const second = await gateway.gql<Json>(searchQuery, {
        search: 'überblick',
        first: 1,
        after: first.body.data?.articles.pageInfo.endCursor,
      });
      expect(second.body.data?.articles).toMatchObject({
        edges: [{ node: { slug: 'ueberblick-text' } }],
        pageInfo: { hasNextPage: false },
      });
    });

    it('never finds drafts and treats punctuation-only or hostile input as text', async () => {
      expect(await search('geheimer')).toEqual([]);
      expect(await search('!!! ***')).toEqual([]);
      expect(await search('" OR 1=1 --')).toEqual([]);
      expect(await search("Straße'); DROP TABLE article; --")).toEqual([]);
      expect(await search('strasse*')).toEqual(['strasse']);
    });

    it('refuses RELEVANCE order without a search', async () => {
      const { body } = await gateway.gql(`{ articles(orderBy: RELEVANCE) { totalCount } }`);
      expect(body.errors?.[0]).toMatchObject({
        message: 'orderBy RELEVANCE needs filter.search, got no search.',
        extensions: { code: 'BAD_USER_INPUT' },
      });
    });
  },
  { betterSqlite3: true },
);
