import { describeEachDatabase } from './helpers/databases';
import { wordpressPost } from './helpers/sourcePosts';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { createToken } from '../src/access/apiTokens';
import { importSourcePosts } from '../src/content/import/source/importSourcePosts';
import { redirectMapLines, redirectMapPages } from '../src/content/redirects/redirectMap';
import { SqlReader } from '../src/db/SqlReader';
import { ArticleStatus } from '../src/entities/enums';

const redirectQuery = /* GraphQL */ `
  query Redirect($path: String, $wordpressPostId: ID) {
    redirect(path: $path, wordpressPostId: $wordpressPostId) {
      location
      url
      statusCode
      permanent
      matchedBy
      article {
        id
        slug
      }
    }
  }
`;

interface RedirectResult {
  redirect: {
    location: string;
    url: string;
    statusCode: number;
    permanent: boolean;
    matchedBy: string;
    article: { id: string; slug: string };
  } | null;
}

describeEachDatabase('old URLs: the redirect query', dialect => {
  let gateway: TestGateway;
  const options = { revisionsKept: 10, now: new Date('2026-12-01T00:00:00Z') };

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, { env: { PUBLIC_URL: 'https://news.example.com' } });
    const first = await importSourcePosts(
      gateway.db,
      [
        { post: wordpressPost('201') },
        { post: wordpressPost('202', { status: ArticleStatus.DRAFT, publishedAt: null }) },
        { post: wordpressPost('203') },
      ],
      options,
    );
    // The draft is imported (with its old paths), so the query has something to hide.
    expect(first.articles.created).toBe(3);
    // Renamed on the old site since the first import: post-203 becomes an earlier slug.
    await importSourcePosts(
      gateway.db,
      [{ post: wordpressPost('203', { slug: 'post-203-neu', title: 'Neu' }) }],
      options,
    );
  });
  afterAll(async () => gateway.close());

  async function redirect(variables: Record<string, unknown>) {
    const response = await gateway.gql<RedirectResult>(redirectQuery, variables);
    return response;
  }

  /** [matchedBy, location] of an address, or null. */
  async function target(variables: Record<string, unknown>) {
    const { body } = await redirect(variables);
    expect(body.errors).toBeUndefined();
    const found = body.data!.redirect;
    return found && [found.matchedBy, found.location];
  }

  it('answers an old permalink, in any of its spellings, with the article and a 301', async () => {
    const { body } = await redirect({ path: 'https://www.old.example.org/2025/02/Post-201/' });
    expect(body.data!.redirect).toMatchObject({
      location: '/artikel/post-201',
      url: 'https://news.example.com/artikel/post-201',
      statusCode: 301,
      permanent: true,
      matchedBy: 'OLD_PATH',
      article: { slug: 'post-201' },
    });
    expect(await target({ path: '/2025/02/post-201' })).toEqual(['OLD_PATH', '/artikel/post-201']);
  });

  it('answers a WordPress post id, as ?p= or as the argument', async () => {
    expect(await target({ path: 'http://old.example.org/?p=201&utm_source=feed' })).toEqual([
      'POST_ID',
      '/artikel/post-201',
    ]);
    expect(await target({ wordpressPostId: '201' })).toEqual(['POST_ID', '/artikel/post-201']);
  });

  it('answers an earlier slug of a renamed article, and says when the path is already current', async () => {
    expect(await target({ path: '/artikel/post-203' })).toEqual([
      'EARLIER_SLUG',
      '/artikel/post-203-neu',
    ]);
    expect(await target({ path: '/post-203' })).toEqual(['EARLIER_SLUG', '/artikel/post-203-neu']);
    expect(await target({ path: '/artikel/post-203-neu' })).toEqual([
      'CURRENT_SLUG',
      '/artikel/post-203-neu',
    ]);
  });

  it('never reveals a draft, and answers null for an unknown address', async () => {
    expect(await target({ path: '/2025/02/post-202/' })).toBeNull();
    expect(await target({ wordpressPostId: '202' })).toBeNull();
    expect(await target({ path: '/?p=202' })).toBeNull();
    expect(await target({ path: '/post-202' })).toBeNull();
    expect(await target({ path: '/nowhere/at/all' })).toBeNull();
  });

  it('looks up every redirect of a request in one statement', async () => {
    const response = await gateway.gql<Record<string, { location: string } | null>>(/* GraphQL */ `
      query Many {
        a: redirect(path: "/2025/02/post-201/") {
          location
        }
        b: redirect(path: "/?p=203") {
          location
        }
        c: redirect(wordpressPostId: "202") {
          location
        }
        d: redirect(path: "/post-203") {
          location
        }
      }
    `);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({
      a: { location: '/artikel/post-201' },
      b: { location: '/artikel/post-203-neu' },
      c: null,
      d: { location: '/artikel/post-203-neu' },
    });
    expect(response.statements).toBe(1);
  });

  it('refuses bad input with BAD_USER_INPUT', async () => {
    for (const variables of [
      {},
      { path: '/x', wordpressPostId: '1' },
      { path: 'mailto:someone@example.org' },
      { wordpressPostId: 'abc' },
      { path: `/${'x'.repeat(2001)}` },
    ]) {
      const { body } = await redirect(variables);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('exports the redirect map as CSV under /exports/redirects, with an analytics:read token', async () => {
    const url = `${gateway.url}/exports/redirects`;
    const none = await fetch(url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const token = await createToken(gateway.db, 'web-server', ['analytics:read'], gateway.clock());
    const headers = { authorization: `Bearer ${token}` };
    const bad = await fetch(`${url}?format=xml`, { headers });
    expect(bad.status).toBe(400);
    expect(
      ((await bad.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions
        .code,
    ).toBe('BAD_USER_INPUT');

    const csv = await fetch(url, { headers });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = (await csv.text()).trimEnd().split('\n');
    expect(header).toBe('old_path,new_path,status');
    // Post 202 is a draft: none of its old paths is in the map.
    expect(rows.sort()).toEqual([
      '/2025/02/post-201,/artikel/post-201,301',
      '/2025/02/post-203,/artikel/post-203-neu,301',
      '/?p=201,/artikel/post-201,301',
      '/?p=203,/artikel/post-203-neu,301',
      '/artikel/post-203,/artikel/post-203-neu,301',
    ]);

    const nginx = await fetch(`${url}?format=nginx`, { headers });
    const lines = (await nginx.text()).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^# map \$uri/);
    expect(lines).toContain('"/2025/02/post-201/" "/artikel/post-201";');
    expect(lines).toHaveLength(1 + 3 * 2);
  });

  it('reads the map page by page, each row once', async () => {
    const read = async (pageSize: number) => {
      const rows: string[] = [];
      const reader = new SqlReader(gateway.db);
      try {
        const pages = redirectMapPages(reader, gateway.clock(), '/artikel/{slug}', pageSize);
        for await (const page of pages) rows.push(...page.map(row => `${row.from} ${row.to}`));
      } finally {
        await reader.close();
      }
      return rows;
    };
    const whole = await read(1000);
    expect(whole).toHaveLength(5);
    expect(await read(2)).toEqual(whole);
  });

  it('writes nginx and Apache map lines, each old path with and without its slash', () => {
    const page = [
      { from: '/2019/05/hallo welt', to: '/artikel/hallo-welt' },
      { from: '/?p=7', to: '/artikel/sieben' },
      { from: '/a"b', to: '/artikel/ab' },
    ];
    expect(redirectMapLines(page, 'nginx').split('\n')).toEqual([
      '"/2019/05/hallo welt" "/artikel/hallo-welt";',
      '"/2019/05/hallo welt/" "/artikel/hallo-welt";',
      '"/a\\"b" "/artikel/ab";',
      '"/a\\"b/" "/artikel/ab";',
      '',
    ]);
    expect(redirectMapLines(page, 'apache')).toBe('/a"b /artikel/ab\n/a"b/ /artikel/ab\n');
  });
});
