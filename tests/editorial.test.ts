import { Writable } from 'node:stream';
import pino from 'pino';
import { describeEachDatabase } from './helpers/databases';
import {
  type ArticleResult,
  bearer,
  createArticleMutation,
  createDraft,
  publishArticleMutation,
  updateArticleMutation,
} from './helpers/editorial';
import { articleFile } from './helpers/fixtures';
import { statementsRun } from './helpers/statementsRun';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { createToken } from '../src/access/apiTokens';
import { importContent } from '../src/content/import/contentImport';

const publicArticle = /* GraphQL */ `
  query ($slug: String!) {
    article(slug: $slug) {
      id
      slug
      title
      status
      revision
      authors {
        slug
      }
    }
  }
`;

const authorAndTag = /* GraphQL */ `
  mutation ($author: AuthorInput!, $tag: TagInput!) {
    createAuthor(input: $author) {
      author {
        id
        slug
        name
        bio
      }
    }
    createTag(input: $tag) {
      tag {
        id
        slug
        name
        description
      }
    }
  }
`;

describeEachDatabase('editorial writes', dialect => {
  let gateway: TestGateway;
  let writer: string;
  let reader: string;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean))
          lines.push(JSON.parse(line));
        done();
      },
    });
    gateway = await startTestGateway(dialect, { log: pino({ level: 'info' }, stream) });
    await gateway.importFiles([
      articleFile({ slug: 'vorhanden', authors: ['anna-berger'], tags: ['politik'] }),
    ]);
    writer = await createToken(gateway.db, 'redaktion', ['content:write'], gateway.clock());
    reader = await createToken(gateway.db, 'analyse', ['analytics:read'], gateway.clock());
  });
  afterAll(() => gateway.close());

  it('creates a draft with ordered authors and tags, derived fields and revision 1', async () => {
    const made = await gateway.gql<{
      createAuthor: { author: { id: string; slug: string; bio: string | null } };
      createTag: { tag: { id: string; slug: string } };
    }>(
      authorAndTag,
      {
        author: { name: 'Jörg Weiß', bio: 'Schreibt über Städte.' },
        tag: { name: 'Städte', description: 'Alles über Städte.' },
      },
      bearer(writer),
    );
    expect(made.body.errors).toBeUndefined();
    const { author } = made.body.data!.createAuthor;
    const { tag } = made.body.data!.createTag;
    expect(author).toMatchObject({ slug: 'joerg-weiss', bio: 'Schreibt über Städte.' });
    expect(tag).toMatchObject({ slug: 'staedte' });

    const article = await createDraft(gateway, writer, {
      title: 'Neue Wege in der Stadt',
      locale: 'de',
      excerpt: 'Ein eigener Anriss.',
      mainImage: { url: '/media/stadt.jpg', alt: 'Eine Straße' },
      authorIds: [author.id],
      tagIds: [tag.id],
    });
    expect(article).toMatchObject({
      slug: 'neue-wege-in-der-stadt',
      status: 'DRAFT',
      revision: 1,
      locale: 'de',
      publishedAt: null,
      excerpt: 'Ein eigener Anriss.',
      authors: [{ slug: 'joerg-weiss' }],
      tags: [{ slug: 'staedte' }],
    });
    expect(article.mainImage?.url).toMatch(/\/media\/stadt\.jpg$/);
    // A draft is not public.
    const seen = await gateway.gql(publicArticle, { slug: article.slug });
    expect(seen.body.data).toEqual({ article: null });
  });

  it('answers UNAUTHENTICATED without a token and FORBIDDEN without content:write, writing nothing', async () => {
    const input = { title: 'Ohne Recht', body: 'Text.' };
    const anonymous = await gateway.gql(createArticleMutation, { input });
    expect(anonymous.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const forbidden = await gateway.gql(createArticleMutation, { input }, bearer(reader));
    expect(forbidden.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const rows = await gateway.db.query("SELECT 1 FROM article WHERE slug = 'ohne-recht'");
    expect(rows).toEqual([]);
  });

  it.each([
    ['input.slug', { title: 'A', slug: 'Nicht Gültig' }],
    ['input.title', { title: '   ' }],
    ['input.title', { title: '!!!' }],
    // slugOf keeps letters of any script; a slug made of them would break the slug rule.
    ['input.title', { title: '東京' }],
    ['input.body', { title: 'Leer', body: '  \n ' }],
    ['input.locale', { title: 'Sprache', locale: 'deutsch' }],
    ['input.excerpt', { title: 'Anriss', excerpt: 'x'.repeat(1001) }],
    ['input.canonicalUrl', { title: 'Kanon', canonicalUrl: 'keine url' }],
    ['input.mainImage.width', { title: 'Bild', mainImage: { url: '/a.jpg', width: 0 } }],
    ['input.seoTitle', { title: 'Seo', seoTitle: 'x'.repeat(501) }],
    ['input.slug', { title: 'Doppelt', slug: 'vorhanden' }],
    ['input.authorIds', { title: 'Autor', authorIds: ['QXV0aG9yOjk5OTk='] }],
    ['input.tagIds', { title: 'Tag', tagIds: ['not-an-id'] }],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (field, input) => {
    const before = await gateway.db.query('SELECT count(*) AS n FROM article');
    const response = await gateway.gql(
      createArticleMutation,
      { input: { body: 'Text.', ...input } },
      bearer(writer),
    );
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await gateway.db.query('SELECT count(*) AS n FROM article')).toEqual(before);
  });

  it('refuses, in the import as in createArticle, a title no valid slug can be made from', async () => {
    const file = articleFile({ slug: 'x', title: '東京' });
    file.text = file.text.replace('slug: x\n', '');
    const report = await importContent(gateway.db, [file], gateway.clock());
    expect(report.problems.map(problem => problem.message)).toEqual([
      'title: no slug can be made from it',
    ]);
  });

  it('writes nothing of a create whose last tag is unknown, though its authors are fine', async () => {
    const [{ id: authorId }] = await gateway.db.query(
      "SELECT internal_id AS id FROM author WHERE slug = 'anna-berger'",
    );
    const response = await gateway.gql(
      createArticleMutation,
      {
        input: {
          title: 'Halb geschrieben',
          body: 'Text.',
          authorIds: [Buffer.from(`Author:${authorId}`).toString('base64')],
          tagIds: [Buffer.from('Tag:424242').toString('base64')],
        },
      },
      bearer(writer),
    );
    expect(response.body.errors?.[0].extensions).toMatchObject({ field: 'input.tagIds' });
    for (const table of ['article', 'article_revision', 'article_author']) {
      const rows = await gateway.db.query(
        table === 'article'
          ? "SELECT 1 FROM article WHERE slug = 'halb-geschrieben'"
          : `SELECT 1 FROM ${table} t JOIN article a ON a.internal_id = t.article_id WHERE a.slug = 'halb-geschrieben'`,
      );
      expect(rows).toEqual([]);
    }
  });

  it('updates only the given fields, publishes now and at a time, unpublishes, archives and deletes', async () => {
    const draft = await createDraft(gateway, writer, { title: 'Ein Leben', featured: true });
    const updated = await gateway.gql<{
      updateArticle: { revision: number; article: ArticleResult };
    }>(
      updateArticleMutation,
      { input: { id: draft.id, expectedRevision: 1, title: 'Ein ganzes Leben', excerpt: null } },
      bearer(writer),
    );
    expect(updated.body.errors).toBeUndefined();
    expect(updated.body.data!.updateArticle).toMatchObject({
      revision: 2,
      article: { title: 'Ein ganzes Leben', slug: 'ein-leben', featured: true, body: draft.body },
    });

    gateway.clock.advance(1000);
    const published = await gateway.gql<{ publishArticle: { article: ArticleResult } }>(
      publishArticleMutation,
      { input: { id: draft.id } },
      bearer(writer),
    );
    expect(published.body.data!.publishArticle.article).toMatchObject({
      status: 'PUBLISHED',
      revision: 3,
      publishedAt: gateway.clock().toISOString(),
    });
    // Public at once, in the same request's loaders and the next request's.
    expect((await gateway.gql(publicArticle, { slug: 'ein-leben' })).body.data).toMatchObject({
      article: { slug: 'ein-leben', revision: 3 },
    });

    const refOps = /* GraphQL */ `
      mutation ($input: ArticleRefInput!) {
        unpublishArticle(input: $input) {
          revision
          article {
            status
          }
        }
      }
    `;
    const unpublished = await gateway.gql(refOps, { input: { id: draft.id } }, bearer(writer));
    expect(unpublished.body.data).toEqual({
      unpublishArticle: { revision: 4, article: { status: 'DRAFT' } },
    });
    expect((await gateway.gql(publicArticle, { slug: 'ein-leben' })).body.data).toEqual({
      article: null,
    });

    const later = new Date(gateway.clock().getTime() + 3_600_000).toISOString();
    const scheduled = await gateway.gql<{ publishArticle: { article: ArticleResult } }>(
      publishArticleMutation,
      { input: { id: draft.id, at: later, expectedRevision: 4 } },
      bearer(writer),
    );
    expect(scheduled.body.data!.publishArticle.article).toMatchObject({
      status: 'PUBLISHED',
      publishedAt: later,
    });

    const archived = await gateway.gql(
      /* GraphQL */ `
        mutation ($input: ArticleRefInput!) {
          archiveArticle(input: $input) {
            article {
              status
            }
          }
        }
      `,
      { input: { id: draft.id } },
      bearer(writer),
    );
    expect(archived.body.data).toEqual({ archiveArticle: { article: { status: 'ARCHIVED' } } });

    const deleted = await gateway.gql(
      /* GraphQL */ `
        mutation ($input: ArticleRefInput!) {
          deleteArticle(input: $input) {
            deletedId
            slug
          }
        }
      `,
      { input: { id: draft.id } },
      bearer(writer),
    );
    expect(deleted.body.data).toEqual({
      deleteArticle: { deletedId: draft.id, slug: 'ein-leben' },
    });
    expect(await gateway.db.query("SELECT 1 FROM article WHERE slug = 'ein-leben'")).toEqual([]);
    const again = await gateway.gql(
      `mutation ($input: ArticleRefInput!) { deleteArticle(input: $input) { slug } }`,
      { input: { id: draft.id } },
      bearer(writer),
    );
    expect(again.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('refuses a stale update with CONFLICT, the current revision and updatedAt, and takes a fresh one', async () => {
    const draft = await createDraft(gateway, writer, { title: 'Zwei Redaktionen' });
    const first = await gateway.gql(
      updateArticleMutation,
      { input: { id: draft.id, expectedRevision: 1, title: 'Erste Fassung' } },
      bearer(writer),
    );
    expect(first.body.errors).toBeUndefined();
    const stale = await gateway.gql(
      updateArticleMutation,
      { input: { id: draft.id, expectedRevision: 1, title: 'Zweite Fassung' } },
      bearer(writer),
    );
    expect(stale.status).toBe(409);
    expect(stale.body.errors?.[0].extensions).toEqual({
      code: 'CONFLICT',
      currentRevision: 2,
      updatedAt: gateway.clock().toISOString(),
    });
    const [row] = await gateway.db.query(
      `SELECT title, revision FROM article WHERE slug = 'zwei-redaktionen'`,
    );
    expect(row).toMatchObject({ title: 'Erste Fassung', revision: 2 });
    const fresh = await gateway.gql<{ updateArticle: { revision: number } }>(
      updateArticleMutation,
      { input: { id: draft.id, expectedRevision: 2, title: 'Zweite Fassung' } },
      bearer(writer),
    );
    expect(fresh.body.data!.updateArticle.revision).toBe(3);
  });

  it('updates authors and tags, and renames an author', async () => {
    const draft = await createDraft(gateway, writer, { title: 'Mit Autoren' });
    const created = await gateway.gql<{
      createAuthor: { author: { id: string } };
      createTag: { tag: { id: string } };
    }>(authorAndTag, { author: { name: 'Lena Roth' }, tag: { name: 'Wetter' } }, bearer(writer));
    const { id: authorId } = created.body.data!.createAuthor.author;
    const { id: tagId } = created.body.data!.createTag.tag;
    const response = await gateway.gql<{ updateArticle: { article: ArticleResult } }>(
      updateArticleMutation,
      { input: { id: draft.id, expectedRevision: 1, authorIds: [authorId], tagIds: [tagId] } },
      bearer(writer),
    );
    expect(response.body.data!.updateArticle.article).toMatchObject({
      authors: [{ slug: 'lena-roth' }],
      tags: [{ slug: 'wetter' }],
    });
    const renamed = await gateway.gql(
      /* GraphQL */ `
        mutation ($input: UpdateAuthorInput!, $tag: UpdateTagInput!) {
          updateAuthor(input: $input) {
            author {
              slug
              name
              bio
            }
          }
          updateTag(input: $tag) {
            tag {
              slug
              name
            }
          }
        }
      `,
      {
        input: { id: authorId, name: 'Lena Roth-Berg', bio: 'Neu hier.' },
        tag: { id: tagId, slug: 'wetter-und-klima' },
      },
      bearer(writer),
    );
    expect(renamed.body.data).toEqual({
      updateAuthor: { author: { slug: 'lena-roth', name: 'Lena Roth-Berg', bio: 'Neu hier.' } },
      updateTag: { tag: { slug: 'wetter-und-klima', name: 'Wetter' } },
    });
    const taken = await gateway.gql(
      `mutation ($input: TagInput!) { createTag(input: $input) { tag { slug } } }`,
      { input: { name: 'Doppelt', slug: 'wetter-und-klima' } },
      bearer(writer),
    );
    expect(taken.body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.slug',
    });
  });

  it('answers a second write of one request from fresh loaders, not what the first one read', async () => {
    const draft = await createDraft(gateway, writer, { title: 'Zweimal' });
    const [{ id: authorId }] = await gateway.db.query(
      "SELECT internal_id AS id FROM author WHERE slug = 'anna-berger'",
    );
    const response = await gateway.gql(
      /* GraphQL */ `
        mutation ($id: ID!, $author: ID!) {
          first: updateArticle(input: { id: $id, expectedRevision: 1, title: "Einmal" }) {
            article {
              authors {
                slug
              }
            }
          }
          second: updateArticle(input: { id: $id, expectedRevision: 2, authorIds: [$author] }) {
            article {
              title
              authors {
                slug
              }
            }
          }
        }
      `,
      { id: draft.id, author: Buffer.from(`Author:${authorId}`).toString('base64') },
      bearer(writer),
    );
    expect(response.body.data).toEqual({
      first: { article: { authors: [] } },
      second: { article: { title: 'Einmal', authors: [{ slug: 'anna-berger' }] } },
    });
  });

  it('logs each write with token name, operation and article id, never the content', async () => {
    lines.length = 0;
    const article = await createDraft(gateway, writer, {
      title: 'Geheimer Titel',
      body: 'Geheimer Inhalt.',
    });
    const line = lines.find(entry => entry.msg === 'content write');
    expect(line).toMatchObject({
      token: 'redaktion',
      operation: 'createArticle',
      articleId: article.id,
    });
    const all = JSON.stringify(lines);
    expect(all).not.toContain('Geheimer');
    expect(all).not.toContain(writer);
  });

  it('runs a counted number of SQL statements for one update', async () => {
    const draft = await createDraft(gateway, writer, { title: 'Gezählt' });
    await gateway.flushViews();
    const before = await statementsRun(gateway);
    const response = await gateway.gql(
      /* GraphQL */ `
        mutation ($input: UpdateArticleInput!) {
          updateArticle(input: $input) {
            revision
          }
        }
      `,
      { input: { id: draft.id, expectedRevision: 1, title: 'Gezählt und geändert', body: 'Neu.' } },
      bearer(writer),
    );
    expect(response.body.errors).toBeUndefined();
    const statements = (await statementsRun(gateway)) - before;
    // Token check 1, transaction: BEGIN, article, slug owner, links (2), UPDATE, search (2 on
    // SQLite, 1 on PostgreSQL), revision INSERT and prune, the change event (announced read,
    // INSERT; the outbox lock on PostgreSQL), COMMIT; the token's last-used write; the change
    // feed's read of the new event (BEGIN, SELECT, COMMIT on SQLite, 1 on PostgreSQL).
    process.stdout.write(`[${dialect}] SQL statements of one updateArticle: ${statements}\n`);
    expect(statements).toBe(dialect === 'postgres' ? 18 : 19);
  });
});

describeEachDatabase('editorial rate limit', dialect => {
  let gateway: TestGateway;
  let writer: string;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, {
      env: { RATE_LIMIT_ENABLED: 'true', WRITE_RATE_PER_MINUTE: '2' },
    });
    writer = await createToken(gateway.db, 'eilig', ['content:write'], gateway.clock());
  });
  afterAll(() => gateway.close());

  it('refuses the third write a minute with RATE_LIMITED and Retry-After, and writes nothing', async () => {
    await createDraft(gateway, writer, { title: 'Eins' });
    await createDraft(gateway, writer, { title: 'Zwei' });
    const third = await gateway.gql(
      createArticleMutation,
      { input: { title: 'Drei', body: 'Text.' } },
      bearer(writer),
    );
    expect(third.status).toBe(429);
    expect(third.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await gateway.db.query("SELECT 1 FROM article WHERE slug = 'drei'")).toEqual([]);
    gateway.clock.advance(60_000);
    expect((await createDraft(gateway, writer, { title: 'Drei' })).slug).toBe('drei');
  });
});
