import { runBuiltCommand, useBuiltGateway } from './helpers/builtGateway';
import { describeEachDatabase } from './helpers/databases';
import { articleFile } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { browserAgent, view } from './helpers/views';
import { createToken } from '../src/access/apiTokens';
import { ensurePreviewSecret } from '../src/content/preview/previewSecret';
import { signPreviewToken, verifyPreviewToken } from '../src/content/preview/previewToken';

const articleQuery = /* GraphQL */ `
  query Article($slug: String, $id: ID, $preview: Boolean, $previewToken: String) {
    article(slug: $slug, id: $id, preview: $preview, previewToken: $previewToken) {
      id
      slug
      status
      title
      body(format: TEXT)
      tags {
        slug
      }
    }
  }
`;

const createLinkMutation = /* GraphQL */ `
  mutation Link($input: CreatePreviewLinkInput!) {
    createPreviewLink(input: $input) {
      token
      expiresAt
      article {
        slug
        status
      }
    }
  }
`;

interface ArticleData {
  article: { id: string; slug: string; status: string; title: string; body: string } | null;
}
interface LinkData {
  createPreviewLink: {
    token: string;
    expiresAt: string;
    article: { slug: string; status: string };
  };
}

/** A draft, a scheduled, an archived and a published article; all share the tag "politik". */
const files = [
  articleFile({ slug: 'oeffentlich', tags: ['politik'], authors: ['anna'] }),
  articleFile({
    slug: 'entwurf',
    status: 'draft',
    date: null,
    title: 'Geheimer Entwurf',
    tags: ['politik'],
    authors: ['anna'],
    body: 'Der Zebrastreifen vor dem Rathaus wird verlegt.\n\nMehr dazu bald.',
  }),
  articleFile({
    slug: 'geplant',
    date: '2026-12-24T08:00:00Z',
    tags: ['politik'],
    authors: ['anna'],
    body: 'Der Zebrastreifen kommt an Heiligabend.',
  }),
  articleFile({
    slug: 'archiviert',
    status: 'archived',
    date: '2026-10-01T08:00:00Z',
    tags: ['politik'],
    authors: ['anna'],
    body: 'Der Zebrastreifen war einmal.',
  }),
];

describeEachDatabase('preview', dialect => {
  let gateway: TestGateway;
  let previewer: string;
  let writer: string;
  let analyst: string;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    await gateway.importFiles(files);
    const now = gateway.clock();
    previewer = await createToken(gateway.db, 'reviewer', ['content:preview'], now);
    writer = await createToken(gateway.db, 'editor', ['content:write'], now);
    analyst = await createToken(gateway.db, 'report-job', ['analytics:read'], now);
  });
  afterAll(() => gateway.close());

  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
  const read = (variables: Record<string, unknown>, headers?: Record<string, string>) =>
    gateway.gql<ArticleData>(articleQuery, variables, headers);
  const codeOf = (response: { body: { errors?: { extensions?: { code?: string } }[] } }) =>
    response.body.errors?.[0]?.extensions?.code;

  it('answers a draft as null to the public, as before', async () => {
    const response = await read({ slug: 'entwurf' });
    expect(response.body.data).toEqual({ article: null });
    expect(response.body.errors).toBeUndefined();
  });

  it('refuses preview: true without a token (UNAUTHENTICATED), never a silent null', async () => {
    const response = await read({ slug: 'entwurf', preview: true });
    expect(codeOf(response)).toBe('UNAUTHENTICATED');
    expect(response.body.data?.article).toBeNull();
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('refuses preview: true for a token without content:preview (FORBIDDEN)', async () => {
    const response = await read({ slug: 'entwurf', preview: true }, bearer(analyst));
    expect(codeOf(response)).toBe('FORBIDDEN');
    expect(response.body.errors?.[0].message).toContain('content:preview');
  });

  it.each([
    ['entwurf', 'DRAFT'],
    ['geplant', 'PUBLISHED'],
    ['archiviert', 'ARCHIVED'],
    ['oeffentlich', 'PUBLISHED'],
  ])('answers %s (%s) with content:preview, private and not stored', async (slug, status) => {
    const response = await read({ slug, preview: true }, bearer(previewer));
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.article).toMatchObject({ slug, status });
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('lets content:write preview too, and by id', async () => {
    const first = await read({ slug: 'entwurf', preview: true }, bearer(writer));
    const id = first.body.data!.article!.id;
    const byId = await read({ id, preview: true }, bearer(writer));
    expect(byId.body.data?.article).toMatchObject({ slug: 'entwurf', status: 'DRAFT' });
    expect(first.body.data?.article?.body).toContain('Zebrastreifen');
  });

  it('answers null with the scope for a slug no article has', async () => {
    const response = await read({ slug: 'gibt-es-nicht', preview: true }, bearer(previewer));
    expect(response.body.data).toEqual({ article: null });
    expect(response.body.errors).toBeUndefined();
  });

  it('keeps node(id:) and article(id:) of a draft null for the public', async () => {
    const found = await read({ slug: 'entwurf', preview: true }, bearer(previewer));
    const id = found.body.data!.article!.id;
    const node = await gateway.gql<{ node: unknown }>(
      /* GraphQL */ `
        query ($id: ID!) {
          node(id: $id) {
            id
          }
        }
      `,
      { id },
    );
    expect(node.body.data).toEqual({ node: null });
    expect((await read({ id })).body.data).toEqual({ article: null });
  });

  describe('links', () => {
    let draftId: string;
    beforeAll(async () => {
      const found = await read({ slug: 'entwurf', preview: true }, bearer(previewer));
      draftId = found.body.data!.article!.id;
    });

    it('creates a link with content:preview or content:write, not without', async () => {
      const input = { articleId: draftId, ttlSeconds: 3600 };
      const anonymous = await gateway.gql<LinkData>(createLinkMutation, { input });
      expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
      const analytics = await gateway.gql<LinkData>(createLinkMutation, { input }, bearer(analyst));
      expect(codeOf(analytics)).toBe('FORBIDDEN');
      for (const secret of [previewer, writer]) {
        const made = await gateway.gql<LinkData>(createLinkMutation, { input }, bearer(secret));
        expect(made.body.errors).toBeUndefined();
        expect(made.body.data?.createPreviewLink).toEqual({
          token: expect.stringMatching(/^cgp_\d+\.\d+\.[\w-]{43}$/),
          expiresAt: new Date(gateway.clock().getTime() + 3_600_000).toISOString(),
          article: { slug: 'entwurf', status: 'DRAFT' },
        });
      }
    });

    it('refuses a TTL out of bounds and an unknown article', async () => {
      const tooLong = await gateway.gql<LinkData>(
        createLinkMutation,
        { input: { articleId: draftId, ttlSeconds: 31 * 86_400 } },
        bearer(previewer),
      );
      expect(codeOf(tooLong)).toBe('BAD_USER_INPUT');
      const unknown = await gateway.gql<LinkData>(
        createLinkMutation,
        { input: { articleId: Buffer.from('Article:999999').toString('base64') } },
        bearer(previewer),
      );
      expect(codeOf(unknown)).toBe('NOT_FOUND');
    });

    async function linkFor(ttlSeconds = 7200): Promise<string> {
      const made = await gateway.gql<LinkData>(
        createLinkMutation,
        { input: { articleId: draftId, ttlSeconds } },
        bearer(previewer),
      );
      return made.body.data!.createPreviewLink.token;
    }

    it('opens the one draft without an account, private and not stored', async () => {
      const token = await linkFor();
      const response = await read({ slug: 'entwurf', previewToken: token });
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data?.article).toMatchObject({ slug: 'entwurf', status: 'DRAFT' });
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      // By GET too (the link a front end follows): still private, whatever the CDN.
      const search = new URLSearchParams({
        query: articleQuery,
        variables: JSON.stringify({ slug: 'entwurf', previewToken: token }),
      });
      const get = await fetch(`${gateway.url}/graphql?${search}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      expect(get.status).toBe(200);
      expect(get.headers.get('cache-control')).toBe('private, no-store');
    });

    it('refuses the link for another article, expired or forged (FORBIDDEN, with why)', async () => {
      const token = await linkFor(600);
      const other = await read({ slug: 'oeffentlich', previewToken: token });
      expect(codeOf(other)).toBe('FORBIDDEN');
      expect(other.body.errors?.[0].message).toContain('another article');
      const unknownSlug = await read({ slug: 'gibt-es-nicht', previewToken: token });
      expect(codeOf(unknownSlug)).toBe('FORBIDDEN');

      const [head, signature] = [token.slice(0, -43), token.slice(-43)];
      const flipped = signature[0] === 'A' ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
      const forged = await read({ slug: 'entwurf', previewToken: head + flipped });
      expect(codeOf(forged)).toBe('FORBIDDEN');
      expect(forged.body.errors?.[0].message).toContain('signature');
      // Another article's id under the same signature.
      const moved = token.replace(/^cgp_\d+/, 'cgp_1');
      expect(codeOf(await read({ slug: 'oeffentlich', previewToken: moved }))).toBe('FORBIDDEN');
      expect(codeOf(await read({ slug: 'entwurf', previewToken: 'nonsense' }))).toBe('FORBIDDEN');

      gateway.clock.advance(601_000);
      try {
        const expired = await read({ slug: 'entwurf', previewToken: token });
        expect(codeOf(expired)).toBe('FORBIDDEN');
        expect(expired.body.errors?.[0].message).toContain('expired');
      } finally {
        gateway.clock.advance(-601_000);
      }
    });

    it('signs with a key kept in the database: a restart and every replica check the same links', async () => {
      const token = await linkFor();
      // What a second process on the same database does at its start.
      const key = await ensurePreviewSecret(gateway.db, gateway.config, gateway.clock());
      expect(key).not.toBeNull();
      expect(verifyPreviewToken(key!, token, gateway.clock())).toMatchObject({
        articleId: expect.any(Number),
      });
      expect(await ensurePreviewSecret(gateway.db, gateway.config, gateway.clock())).toBe(key);
      // Signed by another key: refused.
      const stranger = signPreviewToken('x'.repeat(32), {
        articleId: verifyPreviewToken(key!, token, gateway.clock()).articleId,
        expiresAt: new Date(gateway.clock().getTime() + 60_000),
      });
      expect(codeOf(await read({ slug: 'entwurf', previewToken: stranger }))).toBe('FORBIDDEN');
    });
  });

  describe('a draft stays out of everything public', () => {
    const everything = /* GraphQL */ `
      query Everything($search: String) {
        articles(first: 100) {
          totalCount
          edges {
            node {
              slug
            }
          }
        }
        found: articles(first: 100, filter: { search: $search }) {
          totalCount
          edges {
            node {
              slug
            }
          }
        }
        tag(slug: "politik") {
          articleCount
          articles(first: 100) {
            edges {
              node {
                slug
              }
            }
          }
        }
        author(slug: "anna") {
          articleCount
        }
        article(slug: "oeffentlich") {
          viewCount
          related(first: 10) {
            slug
          }
        }
        mostRead(first: 100, window: ALL_TIME) {
          edges {
            node {
              slug
            }
          }
        }
      }
    `;
    interface Everything {
      articles: { totalCount: number; edges: { node: { slug: string } }[] };
      found: { totalCount: number; edges: { node: { slug: string } }[] };
      tag: { articleCount: number; articles: { edges: { node: { slug: string } }[] } };
      author: { articleCount: number };
      article: { viewCount: number; related: { slug: string }[] };
      mostRead: { edges: { node: { slug: string } }[] };
    }

    it('is in no list, search, count, related or ranking, and its views are not counted', async () => {
      // Views of every article: only the public one's count.
      for (const slug of ['oeffentlich', 'entwurf', 'geplant', 'archiviert']) {
        const counted = await view(gateway, slug, `leser-${slug}`);
        expect([slug, counted]).toEqual([slug, slug === 'oeffentlich']);
      }
      await gateway.flushViews();
      const rows: { slug: string }[] = await gateway.db.query(
        `SELECT a.slug FROM article_view_total t JOIN article a ON a.internal_id = t.article_id WHERE t.views > 0`,
      );
      expect(rows.map(row => row.slug)).toEqual(['oeffentlich']);

      const response = await gateway.gql<Everything>(everything, { search: 'Zebrastreifen' });
      expect(response.body.errors).toBeUndefined();
      const data = response.body.data!;
      const slugs = (edges: { node: { slug: string } }[]) => edges.map(edge => edge.node.slug);
      expect(slugs(data.articles.edges)).toEqual(['oeffentlich']);
      expect(data.articles.totalCount).toBe(1);
      expect(data.found).toEqual({ totalCount: 0, edges: [] });
      expect(data.tag.articleCount).toBe(1);
      expect(slugs(data.tag.articles.edges)).toEqual(['oeffentlich']);
      expect(data.author.articleCount).toBe(1);
      expect(data.article).toEqual({ viewCount: 1, related: [] });
      expect(slugs(data.mostRead.edges)).toEqual(['oeffentlich']);
    });

    it('is not in the views export, and a view of it by POST /views is not counted', async () => {
      const analyticsSecret = analyst;
      const beacon = await fetch(`${gateway.url}/views`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': browserAgent },
        body: JSON.stringify({ slug: 'entwurf', visitorId: 'leser-beacon' }),
      });
      expect(beacon.status).toBeLessThan(300);
      await gateway.flushViews();
      const response = await fetch(
        `${gateway.url}/exports/views?from=2026-11-01&to=2026-12-01&granularity=day`,
        { headers: bearer(analyticsSecret) },
      );
      expect(response.status).toBe(200);
      const articleSlugs = new Set(
        (await response.text())
          .trim()
          .split('\n')
          .slice(1)
          .map(row => row.split(',')[1]),
      );
      expect([...articleSlugs]).toEqual(['oeffentlich']);
    });
  });
});

describe('npm run token -- preview [sqlite]', () => {
  const { build } = useBuiltGateway();
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway('sqlite');
    await gateway.importFiles(files);
  });
  afterAll(() => gateway.close());

  const run = (args: string[], env: Record<string, string> = {}) =>
    runBuiltCommand(build(), 'token', ['preview', ...args], {
      DATABASE_URL: gateway.config.database.url,
      ...env,
    });

  it('prints a link token the running gateway accepts for that one draft', async () => {
    const result = run(['entwurf', '--ttl', '2h']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Preview link for "entwurf" \(DRAFT\), valid until \d{4}-/);
    const token = lines[lines.length - 1];
    // The command signs at the real time; the gateway's test clock stands in 2026.
    const response = await gateway.gql<ArticleData>(articleQuery, {
      slug: 'entwurf',
      previewToken: token,
    });
    expect(response.body.data?.article).toMatchObject({ slug: 'entwurf', status: 'DRAFT' });
  });

  it('refuses a TTL out of bounds, an unknown slug and production without PREVIEW_SECRET', () => {
    expect(run(['entwurf', '--ttl', '40d'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('30 days'),
    });
    expect(run(['gibt-es-nicht'])).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('No article with slug "gibt-es-nicht"'),
    });
    expect(run(['entwurf'], { NODE_ENV: 'production' })).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('PREVIEW_SECRET'),
    });
  });
});
