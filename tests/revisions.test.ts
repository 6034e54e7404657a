import { describeEachDatabase } from './helpers/databases';
import { bearer, createDraft, updateArticleMutation } from './helpers/editorial';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { createToken } from '../src/access/apiTokens';

const revisionsOf = /* GraphQL */ `
  query ($slug: String!, $first: Int) {
    article(slug: $slug) {
      revision
      revisions(first: $first) {
        revision
        createdAt
        tokenName
        operation
        fields
      }
    }
  }
`;

const restore = /* GraphQL */ `
  mutation ($input: RestoreArticleRevisionInput!) {
    restoreArticleRevision(input: $input) {
      revision
      article {
        slug
        title
        status
        body(format: MARKDOWN)
      }
    }
  }
`;

interface RevisionsResult {
  article: {
    revision: number;
    revisions: {
      revision: number;
      createdAt: string;
      tokenName: string | null;
      operation: string;
      fields: string[];
    }[];
  };
}

describeEachDatabase('revisions', dialect => {
  let gateway: TestGateway;
  let writer: string;
  let previewer: string;
  let analyst: string;
  let id: string;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, { env: { REVISIONS_KEPT: '4' } });
    writer = await createToken(gateway.db, 'redaktion', ['content:write'], gateway.clock());
    previewer = await createToken(gateway.db, 'lektorat', ['content:preview'], gateway.clock());
    analyst = await createToken(gateway.db, 'analyse', ['analytics:read'], gateway.clock());
    const draft = await createDraft(gateway, writer, {
      title: 'Erste Fassung',
      slug: 'fassung',
      body: 'Der erste Text.',
    });
    id = draft.id;
    gateway.clock.advance(1000);
    await gateway.gql(
      `mutation ($input: PublishArticleInput!) { publishArticle(input: $input) { revision } }`,
      { input: { id } },
      bearer(writer),
    );
    for (const [expectedRevision, title] of [
      [2, 'Zweite Fassung'],
      [3, 'Dritte Fassung'],
    ] as const) {
      gateway.clock.advance(1000);
      const response = await gateway.gql(
        updateArticleMutation,
        { input: { id, expectedRevision, title, body: `Der Text der ${title}.` } },
        bearer(writer),
      );
      expect(response.body.errors).toBeUndefined();
    }
  });
  afterAll(() => gateway.close());

  it('lists the last revisions newest first, with token, operation and changed fields', async () => {
    const response = await gateway.gql<RevisionsResult>(
      revisionsOf,
      { slug: 'fassung', first: 3 },
      bearer(previewer),
    );
    expect(response.body.errors).toBeUndefined();
    const { revision, revisions } = response.body.data!.article;
    expect(revision).toBe(4);
    expect(revisions.map(entry => [entry.revision, entry.operation])).toEqual([
      [4, 'updateArticle'],
      [3, 'updateArticle'],
      [2, 'publishArticle'],
    ]);
    expect(revisions[0]).toMatchObject({
      tokenName: 'redaktion',
      fields: ['title', 'body'],
      createdAt: gateway.clock().toISOString(),
    });
    expect(revisions[2].fields).toEqual(['status', 'publishedAt']);
  });

  it('answers UNAUTHENTICATED without a token and FORBIDDEN without content:write or content:preview', async () => {
    const anonymous = await gateway.gql(revisionsOf, { slug: 'fassung' });
    expect(anonymous.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const forbidden = await gateway.gql(revisionsOf, { slug: 'fassung' }, bearer(analyst));
    expect(forbidden.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('makes no revision for an update that changes nothing', async () => {
    const response = await gateway.gql<{ updateArticle: { revision: number } }>(
      updateArticleMutation,
      { input: { id, expectedRevision: 4, title: 'Dritte Fassung' } },
      bearer(writer),
    );
    expect(response.body.data!.updateArticle.revision).toBe(4);
  });

  it('restores a revision as a new one, keeping status and date, and keeps at most REVISIONS_KEPT', async () => {
    const stale = await gateway.gql(
      restore,
      { input: { id, revision: 1, expectedRevision: 3 } },
      bearer(writer),
    );
    expect(stale.body.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      currentRevision: 4,
    });
    gateway.clock.advance(1000);
    const restored = await gateway.gql(
      restore,
      { input: { id, revision: 1, expectedRevision: 4 } },
      bearer(writer),
    );
    expect(restored.body.errors).toBeUndefined();
    expect(restored.body.data).toEqual({
      restoreArticleRevision: {
        revision: 5,
        article: {
          slug: 'fassung',
          title: 'Erste Fassung',
          status: 'PUBLISHED',
          body: 'Der erste Text.',
        },
      },
    });
    const listed = await gateway.gql<RevisionsResult>(
      revisionsOf,
      { slug: 'fassung', first: 100 },
      bearer(writer),
    );
    // REVISIONS_KEPT=4: revision 1 is gone now that 5 exists.
    expect(listed.body.data!.article.revisions.map(entry => entry.revision)).toEqual([5, 4, 3, 2]);
    const [{ n }] = await gateway.db.query(
      'SELECT count(*) AS n FROM article_revision r JOIN article a ON a.internal_id = r.article_id',
    );
    expect(Number(n)).toBe(4);
    const gone = await gateway.gql(
      restore,
      { input: { id, revision: 1, expectedRevision: 5 } },
      bearer(writer),
    );
    expect(gone.body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.revision',
    });
  });
});
