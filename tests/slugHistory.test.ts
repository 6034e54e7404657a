import { describeEachDatabase } from './helpers/databases';
import { bearer, createDraft, updateArticleMutation } from './helpers/editorial';
import { articleFile } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { browserAgent, view } from './helpers/views';
import { createToken } from '../src/access/apiTokens';

const bySlug = /* GraphQL */ `
  query ($slug: String!) {
    article(slug: $slug) {
      id
      slug
      title
    }
  }
`;

const byNode = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      ... on Article {
        slug
      }
    }
  }
`;

const viewCount = /* GraphQL */ `
  query ($slug: String!) {
    article(slug: $slug) {
      viewCount
    }
  }
`;

describeEachDatabase('slugs that move', dialect => {
  let gateway: TestGateway;
  let writer: string;
  let articleId: string;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    writer = await createToken(gateway.db, 'redaktion', ['content:write'], gateway.clock());
    const draft = await createDraft(gateway, writer, { title: 'Alter Name', slug: 'alter-name' });
    articleId = draft.id;
    await gateway.gql(
      `mutation ($input: PublishArticleInput!) { publishArticle(input: $input) { revision } }`,
      { input: { id: articleId } },
      bearer(writer),
    );
    for (const [revision, slug] of [
      [2, 'zweiter-name'],
      [3, 'dritter-name'],
    ] as const) {
      const renamed = await gateway.gql(
        updateArticleMutation,
        { input: { id: articleId, expectedRevision: revision, slug } },
        bearer(writer),
      );
      expect(renamed.body.errors).toBeUndefined();
    }
  });
  afterAll(() => gateway.close());

  it.each(['alter-name', 'zweiter-name', 'dritter-name'])(
    'answers article(slug: %s) with the article under its current slug',
    async slug => {
      const response = await gateway.gql(bySlug, { slug });
      expect(response.body.data).toEqual({
        article: { id: articleId, slug: 'dritter-name', title: 'Alter Name' },
      });
    },
  );

  it('answers every slug of one request in one statement, old and new alike', async () => {
    const response = await gateway.gql(/* GraphQL */ `
      {
        a: article(slug: "alter-name") {
          slug
        }
        b: article(slug: "dritter-name") {
          slug
        }
        c: article(slug: "gibt-es-nicht") {
          slug
        }
      }
    `);
    expect(response.body.data).toEqual({
      a: { slug: 'dritter-name' },
      b: { slug: 'dritter-name' },
      c: null,
    });
    expect(response.statements).toBe(1);
  });

  it('answers node(id) under the current slug', async () => {
    const response = await gateway.gql(byNode, { id: articleId });
    expect(response.body.data).toEqual({ node: { slug: 'dritter-name' } });
  });

  it('counts recordView and POST /views with an old slug for the article', async () => {
    expect(await view(gateway, 'alter-name', 'leser-1')).toBe(true);
    const beacon = await fetch(`${gateway.url}/views`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': browserAgent },
      body: JSON.stringify({ slug: 'zweiter-name', visitorId: 'leser-2' }),
    });
    expect(beacon.status).toBeLessThan(300);
    await gateway.flushViews();
    gateway.clock.advance(120_000);
    const response = await gateway.gql(viewCount, { slug: 'dritter-name' });
    expect(response.body.data).toEqual({ article: { viewCount: 2 } });
  });

  it("refuses another article's current or earlier slug, and lets the article take its own back", async () => {
    for (const slug of ['alter-name', 'dritter-name']) {
      const other = await gateway.gql(
        `mutation ($input: CreateArticleInput!) { createArticle(input: $input) { revision } }`,
        { input: { title: 'Anderer', slug, body: 'Text.' } },
        bearer(writer),
      );
      expect(other.body.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.slug',
      });
    }
    const back = await gateway.gql(
      updateArticleMutation,
      { input: { id: articleId, expectedRevision: 4, slug: 'alter-name' } },
      bearer(writer),
    );
    expect(back.body.errors).toBeUndefined();
    expect((await gateway.gql(bySlug, { slug: 'dritter-name' })).body.data).toMatchObject({
      article: { slug: 'alter-name' },
    });
  });

  it('imports a file with an old slug as the same article, and a renamed file by previousSlugs', async () => {
    const count = async () =>
      Number((await gateway.db.query('SELECT count(*) AS n FROM article'))[0].n);
    const before = await count();
    // The file still says zweiter-name: it updates the article (which takes that slug again).
    await gateway.importFiles([
      articleFile({ slug: 'zweiter-name', title: 'Aus der Datei', status: 'published' }),
    ]);
    expect(await count()).toBe(before);
    expect((await gateway.gql(bySlug, { slug: 'alter-name' })).body.data).toMatchObject({
      article: { id: articleId, slug: 'zweiter-name', title: 'Aus der Datei' },
    });
    // The file was renamed to vierter-name and names its old slug.
    const file = articleFile({ slug: 'vierter-name', title: 'Umbenannt' });
    file.text = file.text.replace(
      'slug: vierter-name',
      'slug: vierter-name\npreviousSlugs: [zweiter-name]',
    );
    await gateway.importFiles([file]);
    expect(await count()).toBe(before);
    for (const slug of ['alter-name', 'zweiter-name', 'vierter-name']) {
      expect((await gateway.gql(bySlug, { slug })).body.data).toMatchObject({
        article: { id: articleId, slug: 'vierter-name' },
      });
    }
  });
});
