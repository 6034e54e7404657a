import { describeEachDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import type { Json } from './helpers/Json';
import { statementsRun } from './helpers/statementsRun';
import { startTestGateway, type TestGateway } from './helpers/testGateway';

/** A listing page that touches every relation and count the graph has. */
const listingQuery = /* GraphQL */ `
  query Listing($first: Int) {
    articles(first: $first) {
      totalCount
      edges {
        node {
          slug
          excerpt
          body(format: TEXT)
          readingTime {
            label
          }
          authors {
            name
            articleCount
            articles(first: 3) {
              totalCount
              edges {
                node {
                  slug
                }
              }
            }
          }
          primaryAuthor {
            slug
          }
          tags {
            slug
            articleCount
          }
          primaryTag {
            slug
          }
          related(first: 3) {
            slug
          }
        }
      }
    }
  }
`;

describeEachDatabase(
  'DataLoader batching',
  dialect => {
    let gateway: TestGateway;

    beforeAll(async () => {
      gateway = await startTestGateway(dialect);
      await gateway.importFiles(articleSeries(60, { tagCount: 9, authorCount: 7 }));
      // The flusher's first run compacts old hours once; after it, an idle flusher runs no SQL.
      await gateway.flushViews();
    });
    afterAll(() => gateway.close());

    it('runs the same number of SQL statements for 5 and 50 articles with every relation', async () => {
      const small = await gateway.gql<Json>(listingQuery, { first: 5 });
      const large = await gateway.gql<Json>(listingQuery, { first: 50 });
      expect(small.body.errors).toBeUndefined();
      expect(large.body.errors).toBeUndefined();
      expect(small.body.data?.articles.edges).toHaveLength(5);
      expect(large.body.data?.articles.edges).toHaveLength(50);
      // page, totalCount, bodies, authors, tags, related, author counts, tag counts, the authors'
      // article pages: one statement each.
      expect(small.statements).toBe(9);
      expect(large.statements).toBe(small.statements);
    });

    it('reads the detail fields of a list in one more statement, the same values a lookup gives', async () => {
      const details =
        'slug status featured seoTitle seoDescription canonicalUrl headings { anchor }';
      const cards = await gateway.gql<Json>(
        `query($first: Int!) { articles(first: $first) { edges { node { slug title } } } }`,
        { first: 30 },
      );
      const list = await gateway.gql<Json>(
        `query($first: Int!) { articles(first: $first) { edges { node { ${details} } } } }`,
        { first: 30 },
      );
      expect(list.body.errors).toBeUndefined();
      expect(list.statements).toBe(cards.statements + 1);
      for (const { node } of list.body.data?.articles.edges.slice(0, 3) ?? []) {
        const one = await gateway.gql<Json>(
          `query($slug: String!) { article(slug: $slug) { ${details} } }`,
          { slug: node.slug },
        );
        expect(one.statements).toBe(1);
        expect(one.body.data?.article).toEqual(node);
        expect(node.status).toBe('PUBLISHED');
      }
    });

    it('reads the bios and descriptions of a list’s authors and tags in one more statement each', async () => {
      const plain = await gateway.gql<Json>(
        '{ articles(first: 30) { edges { node { authors { slug name } tags { slug name } } } } }',
      );
      const [author] = plain.body.data?.articles.edges[0].node.authors ?? [];
      const [tag] = plain.body.data?.articles.edges[0].node.tags ?? [];
      await gateway.importFiles([
        {
          name: 'autor.md',
          text: `---\ntype: author\nslug: ${author.slug}\nname: ${author.name}\n---\nSchreibt über Städte.\n`,
        },
        {
          name: 'thema.md',
          text: `---\ntype: tag\nslug: ${tag.slug}\nname: ${tag.name}\n---\nAlles über das Thema.\n`,
        },
      ]);
      const full = await gateway.gql<Json>(
        '{ articles(first: 30) { edges { node { authors { slug name bio } tags { slug name description } } } } }',
      );
      expect(full.body.errors).toBeUndefined();
      expect(full.statements).toBe(plain.statements + 2);
      const node = full.body.data?.articles.edges[0].node;
      expect(node.authors[0]).toEqual({ ...author, bio: 'Schreibt über Städte.' });
      expect(node.tags[0]).toEqual({ ...tag, description: 'Alles über das Thema.' });
    });

    it('shows the same statement counts from outside in /metrics', async () => {
      for (const first of [5, 50]) {
        const before = await statementsRun(gateway);
        const response = await gateway.gql(listingQuery, { first });
        const after = await statementsRun(gateway);
        expect(after - before).toBe(response.statements);
      }
    });

    it('answers every relation in key order, never a shifted row', async () => {
      const { body } = await gateway.gql<Json>(listingQuery, { first: 50 });
      for (const { node } of body.data?.articles.edges ?? []) {
        const index = Number(node.slug.slice(-3));
        expect(node.primaryAuthor.slug).toBe(`autor-${index % 7}`);
        expect(node.tags.map((tag: Json) => tag.slug)).toEqual([
          `thema-${index % 9}`,
          `thema-${(index + 1) % 9}`,
        ]);
        expect(node.primaryTag.slug).toBe(`thema-${index % 9}`);
      }
    });
  },
  { betterSqlite3: true },
);
