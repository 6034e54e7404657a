import { articleFile, articleSeries } from './helpers/fixtures';
import { describeEachDatabase } from './helpers/databases';
import { startTestGateway, type TestGateway } from './helpers/testGateway';

const articlePage = /* GraphQL */ `
  query ArticlePage($slug: String!) {
    article(slug: $slug) {
      id
      slug
      title
      excerpt
      body
      headings {
        level
        text
        anchor
      }
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

describeEachDatabase('content graph', dialect => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    await gateway.importFiles([
      ...articleSeries(12),
      articleFile({ slug: 'entwurf', status: 'draft', date: null }),
      articleFile({ slug: 'geplant', date: '2027-01-01T00:00:00Z' }),
      articleFile({ slug: 'archiv', status: 'archived', date: '2025-01-01T00:00:00Z' }),
    ]);
  });
  afterAll(() => gateway.close());

  it('serves an article page by slug with authors, tags and related articles', async () => {
    const { body } = await gateway.gql(articlePage, { slug: 'serie-003' });
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({
      article: {
        slug: 'serie-003',
        title: 'Serie 3',
        authors: [{ slug: 'autor-3' }, { slug: 'autor-0' }],
        primaryAuthor: { slug: 'autor-3' },
        tags: [{ slug: 'thema-3' }, { slug: 'thema-4' }],
        primaryTag: { slug: 'thema-3' },
        readingTime: { minutes: 1, label: '1 Minute Lesezeit' },
      },
    });
  });

  it('returns null for an unknown slug, a draft, a scheduled and an archived article', async () => {
    for (const slug of ['gibt-es-nicht', 'entwurf', 'geplant', 'archiv']) {
      const { body } = await gateway.gql(articlePage, { slug });
      expect(body).toEqual({ data: { article: null } });
    }
  });
});
