import { describeEachDatabase } from './helpers/databases';
import { articleFile, articleSeries } from './helpers/fixtures';
import type { Json } from './helpers/Json';
import { startTestGateway, type TestGateway } from './helpers/testGateway';

const articlePage = /* GraphQL */ `
  query ArticlePage($slug: String!) {
    article(slug: $slug) {
      id
      slug
      title
      excerpt
      locale
      status
      featured
      publishedAt
      updatedAt
      readingTime {
        minutes
        words
        label
      }
      authors {
        slug
        name
      }
      primaryAuthor {
        slug
      }
      tags {
        slug
      }
      primaryTag {
        slug
      }
      related(first: 3) {
        slug
      }
    }
  }
`;

const bodyQuery = /* GraphQL */ `
  query Body($slug: String!) {
    article(slug: $slug) {
      html: body
      markdown: body(format: MARKDOWN)
      text: body(format: TEXT)
      headings {
        level
        text
        anchor
      }
      excerpt
      mainImage {
        url
        alt
        width
        height
      }
    }
  }
`;

const richBody = `Der erste Absatz stellt das Thema vor und ist lang genug, um als automatischer Anriss zu dienen, denn er enthält deutlich mehr als hundertsechzig Zeichen Text über Gehälter.

## Überblick über die Lage

Ein Absatz mit **fettem** Text und einem [Link](https://example.com).

<script>alert("x")</script>

## Überblick über die Lage

![Ein Diagramm](/media/diagramm.svg)

### Details

Schluss.`;

describeEachDatabase(
  'content graph',
  dialect => {
    let gateway: TestGateway;

    beforeAll(async () => {
      gateway = await startTestGateway(dialect);
      await gateway.importFiles([
        ...articleSeries(12),
        articleFile({ slug: 'entwurf', status: 'draft', date: null }),
        articleFile({ slug: 'geplant', date: '2027-01-01T00:00:00Z', tags: ['thema-3'] }),
        articleFile({
          slug: 'archiv',
          status: 'archived',
          date: '2025-01-01T00:00:00Z',
          tags: ['thema-3'],
        }),
        articleFile({
          slug: 'reich',
          title: 'Ein reicher Artikel',
          locale: 'en',
          featured: true,
          image: '/media/reich.svg',
          body: richBody,
          tags: ['solo'],
          authors: ['Jörg Weiß'],
        }),
      ]);
    });
    afterAll(() => gateway.close());

    it('serves an article page by slug with authors, tags and related articles', async () => {
      const { body } = await gateway.gql(articlePage, { slug: 'serie-003' });
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual({
        article: {
          id: expect.any(String),
          slug: 'serie-003',
          title: 'Serie 3',
          excerpt: 'Ein kurzer Absatz, der als Anriss dient und das Thema vorstellt.',
          locale: 'de',
          status: 'PUBLISHED',
          featured: false,
          publishedAt: '2026-01-04T00:00:00.000Z',
          updatedAt: '2026-01-04T00:00:00.000Z',
          readingTime: { minutes: 1, words: expect.any(Number), label: '1 Minute Lesezeit' },
          authors: [
            { slug: 'autor-3', name: 'Autor 3' },
            { slug: 'autor-0', name: 'Autor 0' },
          ],
          primaryAuthor: { slug: 'autor-3' },
          tags: [{ slug: 'thema-3' }, { slug: 'thema-4' }],
          primaryTag: { slug: 'thema-3' },
          // serie-009 shares both tags; then the newest of those sharing one. Neither the draft, the
          // scheduled nor the archived article (all tagged thema-3) may appear.
          related: [{ slug: 'serie-009' }, { slug: 'serie-010' }, { slug: 'serie-008' }],
        },
      });
    });

    it('orders related articles by shared tags first, then by date, never the article itself', async () => {
      // A fixture of its own: the shared one stays as beforeAll built it for the other tests.
      const twins = await startTestGateway(dialect);
      try {
        await twins.importFiles([
          ...articleSeries(12),
          articleFile({
            slug: 'zwilling',
            date: '2025-06-01T00:00:00Z',
            tags: ['thema-3', 'thema-4'],
          }),
        ]);
        const { body } = await twins.gql<Json>(articlePage, { slug: 'serie-003' });
        const related = body.data?.article.related.map((a: Json) => a.slug);
        // Two shared tags beat one shared tag however new; among two shared, the newer comes first.
        expect(related).toEqual(['serie-009', 'zwilling', 'serie-010']);
      } finally {
        await twins.close();
      }
    });

    it('returns null for an unknown slug, a draft, a scheduled and an archived article', async () => {
      for (const slug of ['gibt-es-nicht', 'entwurf', 'geplant', 'archiv']) {
        const { body } = await gateway.gql(articlePage, { slug });
        expect(body.errors).toBeUndefined();
        expect(body.data).toEqual({ article: null });
      }
    });

    it('publishes a scheduled article once its time has come', async () => {
      const query = /* GraphQL */ `
        query {
          article(slug: "geplant") {
            slug
          }
        }
      `;
      expect((await gateway.gql(query)).body.data).toEqual({ article: null });
      gateway.clock.set('2027-01-01T00:00:01Z');
      try {
        expect((await gateway.gql(query)).body.data).toEqual({ article: { slug: 'geplant' } });
      } finally {
        gateway.clock.set('2026-11-29T12:00:00Z');
      }
    });

    it('finds an article by its global id through article(id:) and node(id:)', async () => {
      const { body } = await gateway.gql<Json>(articlePage, { slug: 'serie-005' });
      const id = body.data?.article.id as string;
      expect(Buffer.from(id, 'base64').toString()).toMatch(/^Article:\d+$/);
      const byId = await gateway.gql(
        /* GraphQL */ `
          query ($id: ID!) {
            article(id: $id) {
              slug
            }
            node(id: $id) {
              id
              ... on Article {
                slug
              }
            }
          }
        `,
        { id },
      );
      expect(byId.body.data).toEqual({
        article: { slug: 'serie-005' },
        node: { id, slug: 'serie-005' },
      });
    });

    it('resolves authors and tags as nodes and returns null for ids that are not ours', async () => {
      const { body } = await gateway.gql<Json>(/* GraphQL */ `
        query {
          author(slug: "autor-1") {
            id
          }
          tag(slug: "thema-1") {
            id
          }
        }
      `);
      const query = /* GraphQL */ `
        query ($id: ID!) {
          node(id: $id) {
            __typename
            ... on Author {
              slug
            }
            ... on Tag {
              slug
            }
          }
        }
      `;
      expect((await gateway.gql(query, { id: body.data?.author.id })).body.data).toEqual({
        node: { __typename: 'Author', slug: 'autor-1' },
      });
      expect((await gateway.gql(query, { id: body.data?.tag.id })).body.data).toEqual({
        node: { __typename: 'Tag', slug: 'thema-1' },
      });
      for (const id of [
        'nonsense',
        Buffer.from('Article:999999').toString('base64'),
        Buffer.from('User:1').toString('base64'),
        '',
      ]) {
        const response = await gateway.gql(query, { id });
        expect(response.body.errors).toBeUndefined();
        expect(response.body.data).toEqual({ node: null });
      }
    });

    it('asks for exactly one of slug and id', async () => {
      for (const args of ['', '(slug: "serie-001", id: "x")']) {
        const { body } = await gateway.gql(`query { article${args} { slug } }`);
        expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
        expect(body.errors?.[0].message).toMatch(/exactly one of slug or id/);
      }
    });

    it('renders the body as sanitized HTML with heading ids that match the headings list', async () => {
      const { body } = await gateway.gql<Json>(bodyQuery, { slug: 'reich' });
      const article = body.data?.article;
      expect(article.headings).toEqual([
        { level: 2, text: 'Überblick über die Lage', anchor: 'ueberblick-ueber-die-lage' },
        { level: 2, text: 'Überblick über die Lage', anchor: 'ueberblick-ueber-die-lage-1' },
        { level: 3, text: 'Details', anchor: 'details' },
      ]);
      for (const heading of article.headings) {
        expect(article.html).toContain(`id="${heading.anchor}"`);
      }
      // Raw HTML in Markdown is the author's text, shown escaped, never markup.
      expect(article.html).not.toMatch(/<script/i);
      expect(article.html).toContain('&lt;script&gt;');
      expect(article.html).toContain('<a href="https://example.com" rel="noopener">Link</a>');
      expect(article.markdown).toBe(richBody);
      expect(article.text).not.toMatch(/##|\*\*|\]\(/);
      expect(article.text).toContain('Überblick über die Lage');
    });

    it('cuts the automatic excerpt at a word boundary near 160 characters', async () => {
      const { body } = await gateway.gql<Json>(bodyQuery, { slug: 'reich' });
      const excerpt = body.data?.article.excerpt as string;
      expect(excerpt.length).toBeLessThanOrEqual(161);
      expect(excerpt.endsWith('…')).toBe(true);
      expect(richBody.startsWith(excerpt.slice(0, -1))).toBe(true);
      expect(richBody.charAt(excerpt.length - 1)).toBe(' ');
    });

    it('serves the main image with an absolute URL and an English reading-time label', async () => {
      const { body } = await gateway.gql<Json>(/* GraphQL */ `
        query {
          article(slug: "reich") {
            mainImage {
              url
            }
            readingTime {
              label
            }
            authors {
              slug
              name
            }
          }
        }
      `);
      expect(body.data?.article).toEqual({
        mainImage: { url: `${gateway.url}/media/reich.svg` },
        readingTime: { label: '1 min read' },
        authors: [{ slug: 'joerg-weiss', name: 'Jörg Weiß' }],
      });
    });

    it('lists authors and tags with counts of their public articles and their own article lists', async () => {
      const { body } = await gateway.gql<Json>(/* GraphQL */ `
        query {
          tags(first: 100) {
            totalCount
            edges {
              node {
                slug
                articleCount
                articles(first: 2) {
                  totalCount
                  edges {
                    node {
                      slug
                    }
                  }
                }
              }
            }
          }
          authors(first: 2) {
            totalCount
            edges {
              node {
                slug
                articleCount
              }
            }
            pageInfo {
              hasNextPage
            }
          }
        }
      `);
      const thema3 = body.data?.tags.edges.find((edge: Json) => edge.node.slug === 'thema-3').node;
      // serie-002, -003, -008 and -009; not the scheduled or archived ones.
      expect(thema3.articleCount).toBe(4);
      expect(thema3.articles.totalCount).toBe(4);
      expect(thema3.articles.edges.map((edge: Json) => edge.node.slug)).toEqual([
        'serie-009',
        'serie-008',
      ]);
      expect(body.data?.authors).toEqual({
        totalCount: 5,
        edges: [
          { node: { slug: 'autor-0', articleCount: 4 } },
          { node: { slug: 'autor-1', articleCount: 4 } },
        ],
        pageInfo: { hasNextPage: true },
      });
    });

    it('filters articles by tags, author, locale, featured and publication range', async () => {
      const slugs = async (filter: Json) => {
        const { body } = await gateway.gql<Json>(
          /* GraphQL */ `
            query ($filter: ArticleFilter) {
              articles(first: 100, filter: $filter) {
                totalCount
                edges {
                  node {
                    slug
                  }
                }
              }
            }
          `,
          { filter },
        );
        expect(body.errors).toBeUndefined();
        const list = body.data?.articles.edges.map((edge: Json) => edge.node.slug);
        expect(body.data?.articles.totalCount).toBe(list.length);
        return list;
      };
      expect(await slugs({ tagSlugs: ['thema-0', 'solo'] })).toEqual([
        'reich',
        'serie-011',
        'serie-006',
        'serie-005',
        'serie-000',
      ]);
      expect(await slugs({ authorSlug: 'autor-2' })).toEqual([
        'serie-010',
        'serie-009',
        'serie-006',
        'serie-002',
      ]);
      expect(await slugs({ locale: 'en' })).toEqual(['reich']);
      expect(await slugs({ featured: true })).toEqual(['reich']);
      expect(
        await slugs({
          publishedAfter: '2026-01-02T00:00:00Z',
          publishedBefore: '2026-01-05T00:00:00Z',
        }),
      ).toEqual(['serie-003', 'serie-002']);
      expect(await slugs({ tagSlugs: [] })).toEqual([]);
    });
  },
  { betterSqlite3: true },
);
