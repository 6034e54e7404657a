import { describeEachDatabase } from './helpers/databases';
import { bearer, publishArticleMutation, updateArticleMutation } from './helpers/editorial';
import { articleFile } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { createToken } from '../src/access/apiTokens';

/** Everything a public reader sees of the article and around it. */
const publicQuery = /* GraphQL */ `
  query Public {
    article(slug: "rathaus") {
      slug
      title
      revision
      pendingRevision
      updatedAt
      excerpt
      body(format: HTML)
      headings {
        text
      }
      readingTime {
        minutes
      }
      tags {
        slug
      }
      authors {
        slug
      }
    }
    articles(first: 10) {
      edges {
        node {
          slug
          title
          excerpt
        }
      }
    }
    found: articles(first: 10, filter: { search: "Zebrastreifen" }) {
      totalCount
    }
    kultur: tag(slug: "kultur") {
      articleCount
    }
    politik: tag(slug: "politik") {
      articleCount
    }
  }
`;

const previewQuery = /* GraphQL */ `
  query Preview($preview: Boolean, $previewToken: String) {
    article(slug: "rathaus", preview: $preview, previewToken: $previewToken) {
      slug
      title
      status
      revision
      pendingRevision
      excerpt
      body(format: TEXT)
      markdown: body(format: MARKDOWN)
      headings {
        text
      }
      tags {
        slug
      }
      primaryTag {
        slug
      }
      authors {
        slug
      }
      revisions {
        revision
        operation
        fields
      }
    }
  }
`;

const discardMutation = /* GraphQL */ `
  mutation Discard($input: ArticleRefInput!) {
    discardPendingChanges(input: $input) {
      revision
      article {
        title
        revision
        pendingRevision
      }
    }
  }
`;

const unpublishMutation = /* GraphQL */ `
  mutation Unpublish($input: ArticleRefInput!) {
    unpublishArticle(input: $input) {
      revision
      article {
        title
        status
        revision
        pendingRevision
        tags {
          slug
        }
      }
    }
  }
`;

const linkMutation = /* GraphQL */ `
  mutation Link($input: CreatePreviewLinkInput!) {
    createPreviewLink(input: $input) {
      token
    }
  }
`;

interface PreviewData {
  article: {
    slug: string;
    title: string;
    status: string;
    revision: number;
    pendingRevision: number | null;
    excerpt: string;
    body: string;
    markdown: string;
    headings: { text: string }[];
    tags: { slug: string }[];
    primaryTag: { slug: string } | null;
    authors: { slug: string }[];
    revisions: { revision: number; operation: string; fields: string[] }[];
  } | null;
}
interface Payload {
  revision: number;
  article: { title: string; revision: number; pendingRevision?: number | null } & Record<
    string,
    unknown
  >;
}
type Errors = { errors?: { message: string; extensions?: Record<string, unknown> }[] };

const published = articleFile({
  slug: 'rathaus',
  title: 'Das Rathaus bleibt',
  tags: ['politik'],
  authors: ['anna'],
  body: 'Der Platz vor dem Rathaus bleibt, wie er ist.\n\n## Ausblick\n\nNichts Neues.',
});
const other = articleFile({ slug: 'theater', tags: ['kultur'], authors: ['ben'] });

const pendingBody =
  'Vor dem Rathaus kommt ein Zebrastreifen.\n\n## Der Plan\n\nIm Frühjahr.\n\n## Die Kosten\n\nGering.';

describeEachDatabase('pending changes of a published article', dialect => {
  let gateway: TestGateway;
  let writer: string;
  let previewer: string;
  let id: string;
  let kulturId: string;
  let publicBefore: unknown;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    await gateway.importFiles([published, other]);
    writer = await createToken(gateway.db, 'redaktion', ['content:write'], gateway.clock());
    previewer = await createToken(gateway.db, 'lektorat', ['content:preview'], gateway.clock());
    const ids = await gateway.gql<{ article: { id: string }; tag: { id: string } }>(
      '{ article(slug: "rathaus") { id } tag(slug: "kultur") { id } }',
    );
    id = ids.body.data!.article.id;
    kulturId = ids.body.data!.tag.id;
    publicBefore = (await gateway.gql(publicQuery)).body;
  });
  afterAll(() => gateway.close());

  const publicNow = async () => (await gateway.gql(publicQuery)).body;
  const preview = async (secret = previewer) =>
    (await gateway.gql<PreviewData>(previewQuery, { preview: true }, bearer(secret))).body;
  const update = (input: Record<string, unknown>) =>
    gateway.gql<{ updateArticle: Payload }>(updateArticleMutation, { input }, bearer(writer));
  const codeOf = (body: Errors) => body.errors?.[0]?.extensions?.code;
  const pendingRows = async () =>
    (await gateway.db.query('SELECT article_id, revision, columns_json FROM article_pending')) as {
      revision: number;
      columns_json: string;
    }[];
  const revisionNumbers = async () =>
    (
      (await gateway.db.query(
        `SELECT r.revision FROM article_revision r JOIN article a ON a.internal_id = r.article_id WHERE a.slug = 'rathaus' ORDER BY r.revision`,
      )) as { revision: number | string }[]
    ).map(row => Number(row.revision));

  it('keeps a draft: true change as pending: the public article, lists, search and counts stay as they were', async () => {
    gateway.clock.advance(60_000);
    const response = await update({
      id,
      expectedRevision: 1,
      draft: true,
      title: 'Ein Zebrastreifen für das Rathaus',
      body: pendingBody,
      tagIds: [kulturId],
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.updateArticle).toMatchObject({
      revision: 2,
      article: {
        title: 'Ein Zebrastreifen für das Rathaus',
        revision: 1,
        status: 'PUBLISHED',
        tags: [{ slug: 'kultur' }],
      },
    });
    expect(await publicNow()).toEqual(publicBefore);
    expect(publicBefore).toMatchObject({
      data: { article: { title: 'Das Rathaus bleibt', revision: 1, pendingRevision: null } },
    });
  });

  it('shows the pending change in a preview, with what is derived from it computed on write', async () => {
    const body = await preview();
    expect(body.errors).toBeUndefined();
    expect(body.data!.article).toMatchObject({
      slug: 'rathaus',
      title: 'Ein Zebrastreifen für das Rathaus',
      status: 'PUBLISHED',
      revision: 1,
      pendingRevision: 2,
      excerpt: 'Vor dem Rathaus kommt ein Zebrastreifen.',
      markdown: pendingBody,
      headings: [{ text: 'Der Plan' }, { text: 'Die Kosten' }],
      tags: [{ slug: 'kultur' }],
      primaryTag: { slug: 'kultur' },
      authors: [{ slug: 'anna' }],
    });
    expect(body.data!.article!.body).toContain('Im Frühjahr.');
    // The HTML and the rest were derived once, on write, and are kept with the pending change.
    const [row] = await pendingRows();
    expect(Number(row.revision)).toBe(2);
    expect(JSON.parse(row.columns_json)).toMatchObject({
      bodyHtml: expect.stringContaining('<h2 id="der-plan">'),
      wordCount: expect.any(Number),
      autoExcerpt: 'Vor dem Rathaus kommt ein Zebrastreifen.',
    });
  });

  it('shows it through a preview link too, without an account', async () => {
    const made = await gateway.gql<{ createPreviewLink: { token: string } }>(
      linkMutation,
      { input: { articleId: id, ttlSeconds: 3600 } },
      bearer(previewer),
    );
    const token = made.body.data!.createPreviewLink.token;
    const response = await gateway.gql<PreviewData>(
      previewQuery.replace(/revisions \{[^}]*\}/, ''),
      { previewToken: token },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.article).toMatchObject({
      title: 'Ein Zebrastreifen für das Rathaus',
      pendingRevision: 2,
    });
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('lists the pending revision with the others, newest first', async () => {
    const body = await preview(writer);
    expect(body.data!.article!.revisions).toEqual([
      { revision: 2, operation: 'updateArticle (draft)', fields: ['title', 'body', 'tagIds'] },
      expect.objectContaining({ revision: 1, operation: 'import' }),
    ]);
  });

  it('changes the pending change at its revision, refuses a stale one with CONFLICT', async () => {
    const stale = await update({ id, expectedRevision: 1, draft: true, excerpt: 'Veraltet.' });
    expect(codeOf(stale.body)).toBe('CONFLICT');
    expect(stale.body.errors![0].extensions).toMatchObject({ currentRevision: 2 });
    gateway.clock.advance(60_000);
    const fresh = await update({ id, expectedRevision: 2, draft: true, excerpt: 'Kurz gesagt.' });
    expect(fresh.body.errors).toBeUndefined();
    expect(fresh.body.data!.updateArticle).toMatchObject({
      revision: 3,
      article: { title: 'Ein Zebrastreifen für das Rathaus', excerpt: 'Kurz gesagt.' },
    });
    expect((await preview()).data!.article).toMatchObject({ pendingRevision: 3 });
    expect(await publicNow()).toEqual(publicBefore);
  });

  it('refuses an update without draft and a restore while a change is pending (CONFLICT), writing nothing', async () => {
    const before = await revisionNumbers();
    const direct = await update({ id, expectedRevision: 3, title: 'Direkt' });
    expect(codeOf(direct.body)).toBe('CONFLICT');
    expect(direct.body.errors![0].message).toContain('pending change at revision 3');
    expect(direct.body.errors![0].extensions).toMatchObject({ currentRevision: 3 });
    const restore = await gateway.gql<Errors>(
      `mutation ($input: RestoreArticleRevisionInput!) { restoreArticleRevision(input: $input) { revision } }`,
      { input: { id, revision: 1, expectedRevision: 3 } },
      bearer(writer),
    );
    expect(codeOf(restore.body)).toBe('CONFLICT');
    expect(await revisionNumbers()).toEqual(before);
    expect(await publicNow()).toEqual(publicBefore);
  });

  it('writes nothing of a refused pending change (a taken slug, an unknown tag)', async () => {
    const before = await revisionNumbers();
    const taken = await update({ id, expectedRevision: 3, draft: true, slug: 'theater' });
    expect(codeOf(taken.body)).toBe('BAD_USER_INPUT');
    expect(taken.body.errors![0].extensions).toMatchObject({ field: 'input.slug' });
    const unknownTag = await update({
      id,
      expectedRevision: 3,
      draft: true,
      title: 'Halb geschrieben',
      tagIds: [Buffer.from('Tag:999999').toString('base64')],
    });
    expect(codeOf(unknownTag.body)).toBe('BAD_USER_INPUT');
    expect(await revisionNumbers()).toEqual(before);
    expect((await preview()).data!.article).toMatchObject({
      title: 'Ein Zebrastreifen für das Rathaus',
      pendingRevision: 3,
    });
  });

  it('lets only one of two writes based on the same revision through', async () => {
    const [first, second] = await Promise.all([
      update({ id, expectedRevision: 3, draft: true, title: 'Variante A' }),
      update({ id, expectedRevision: 3, draft: true, title: 'Variante B' }),
    ]);
    const codes = [first, second].map(response => codeOf(response.body) ?? 'ok').sort();
    expect(codes).toEqual(['CONFLICT', 'ok']);
    const won = [first, second].find(response => !response.body.errors)!;
    const title = won.body.data!.updateArticle.article.title;
    expect((await preview()).data!.article).toMatchObject({ title, pendingRevision: 4 });
    // Back to the title the next tests expect.
    const back = await update({
      id,
      expectedRevision: 4,
      draft: true,
      title: 'Ein Zebrastreifen für das Rathaus',
    });
    expect(back.body.data!.updateArticle.revision).toBe(5);
  });

  it('publishes the pending change in one write, as one revision', async () => {
    gateway.clock.advance(60_000);
    const response = await gateway.gql<{ publishArticle: Payload }>(
      publishArticleMutation,
      { input: { id, expectedRevision: 5 } },
      bearer(writer),
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.publishArticle).toMatchObject({
      revision: 6,
      article: { title: 'Ein Zebrastreifen für das Rathaus', revision: 6 },
    });
    const after = (
      await gateway.gql<{
        article: Record<string, unknown>;
        found: { totalCount: number };
        kultur: { articleCount: number };
        politik: { articleCount: number };
        articles: { edges: { node: { title: string } }[] };
      }>(publicQuery)
    ).body.data!;
    expect(after.article).toMatchObject({
      title: 'Ein Zebrastreifen für das Rathaus',
      revision: 6,
      pendingRevision: null,
      excerpt: 'Kurz gesagt.',
      tags: [{ slug: 'kultur' }],
    });
    expect(after.found.totalCount).toBe(1);
    expect(after.kultur.articleCount).toBe(2);
    expect(after.politik.articleCount).toBe(0);
    expect(after.articles.edges.map(edge => edge.node.title)).toContain(
      'Ein Zebrastreifen für das Rathaus',
    );
    expect(await pendingRows()).toEqual([]);
    const revisions = (await preview(writer)).data!.article!.revisions;
    expect(revisions[0]).toEqual({
      revision: 6,
      operation: 'publishArticle',
      fields: ['title', 'body', 'excerpt', 'tagIds'],
    });
    expect(revisions.map(revision => revision.revision)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('drops a pending change with discardPendingChanges, its revisions with it', async () => {
    const draft = await update({ id, expectedRevision: 6, draft: true, title: 'Verworfen' });
    expect(draft.body.data!.updateArticle.revision).toBe(7);
    const publicWith = await publicNow();
    const stale = await gateway.gql<Errors>(
      discardMutation,
      { input: { id, expectedRevision: 6 } },
      bearer(writer),
    );
    expect(codeOf(stale.body)).toBe('CONFLICT');
    const discarded = await gateway.gql<{ discardPendingChanges: Payload }>(
      discardMutation,
      { input: { id, expectedRevision: 7 } },
      bearer(writer),
    );
    expect(discarded.body.errors).toBeUndefined();
    expect(discarded.body.data!.discardPendingChanges).toEqual({
      revision: 6,
      article: { title: 'Ein Zebrastreifen für das Rathaus', revision: 6, pendingRevision: null },
    });
    expect(await publicNow()).toEqual(publicWith);
    expect((await preview()).data!.article).toMatchObject({ pendingRevision: null, revision: 6 });
    expect(await revisionNumbers()).toEqual([1, 2, 3, 4, 5, 6]);
    // The next write is revision 7 again.
    const next = await update({ id, expectedRevision: 6, featured: true });
    expect(next.body.errors).toBeUndefined();
    expect(next.body.data!.updateArticle.revision).toBe(7);
  });

  it('keeps a pending change as the content of an unpublished article', async () => {
    await update({ id, expectedRevision: 7, draft: true, title: 'Zurückgezogen', tagIds: [] });
    const response = await gateway.gql<{ unpublishArticle: Payload }>(
      unpublishMutation,
      { input: { id, expectedRevision: 8 } },
      bearer(writer),
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.unpublishArticle).toEqual({
      revision: 9,
      article: {
        title: 'Zurückgezogen',
        status: 'DRAFT',
        revision: 9,
        pendingRevision: null,
        tags: [],
      },
    });
    expect(await pendingRows()).toEqual([]);
  });

  it('changes a draft directly with draft: true: it is not public anyway', async () => {
    const response = await update({ id, expectedRevision: 9, draft: true, title: 'Entwurf' });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.updateArticle).toMatchObject({
      revision: 10,
      article: { title: 'Entwurf', revision: 10 },
    });
    expect(await pendingRows()).toEqual([]);
  });
});
