import { describeEachDatabase } from './helpers/databases';
import type { Json } from './helpers/Json';
import { wordpressPost } from './helpers/sourcePosts';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { normalizeOldPath } from '../src/content/import/source/articleOrigins';
import { importSourcePosts, type SourceItem } from '../src/content/import/source/importSourcePosts';
import type { SourcePost } from '../src/content/import/source/sourcePost';

/** A WordPress post (tests/helpers/sourcePosts.ts) at line 10 x its id, with two tags. */
function post(sourceId: string, change: Partial<SourcePost['values']> = {}): SourcePost {
  return {
    ...wordpressPost(sourceId, change),
    line: 10 * Number(sourceId),
    tags: [
      { slug: 'news', name: 'News', description: null },
      { slug: 'tips', name: 'Tips', description: null },
    ],
  };
}

describeEachDatabase('import from another system (the shared write path)', dialect => {
  let gateway: TestGateway;
  const options = { revisionsKept: 50, now: new Date('2026-12-01T00:00:00Z') };

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
  });
  afterAll(async () => gateway.close());

  async function countOf(table: string): Promise<number> {
    const [row] = await gateway.db.query(`SELECT COUNT(*) AS total FROM ${table}`);
    return Number(row.total);
  }

  it('writes nothing on a dry run, but reports what it would', async () => {
    const before = await countOf('article');
    const items: SourceItem[] = [
      { post: post('1') },
      { post: post('2') },
      { skipped: { kind: 'page', sourceId: '3', line: 30, reason: 'pages are not articles' } },
    ];
    const report = await importSourcePosts(gateway.db, items, { ...options, dryRun: true });
    expect(report.articles).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(report.authors).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(report.tags).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(report.skipped).toHaveLength(1);
    expect(await countOf('article')).toBe(before);
    expect(await countOf('article_origin')).toBe(0);
  });

  it('reports on a dry run an old path that an earlier post of the same run holds', async () => {
    const second = post('5');
    second.oldPaths = ['/?p=4', 'https://old.example.org/?p=5'];
    const report = await importSourcePosts(gateway.db, [{ post: post('4') }, { post: second }], {
      ...options,
      dryRun: true,
    });
    expect(report.warnings.map(item => [item.sourceId, item.message])).toEqual([
      ['5', 'old path /?p=4 already leads to another article'],
    ]);
    // 4: its permalink and /?p=4; 5: its permalink and /?p=5 (written twice, one path).
    expect(report.oldPaths).toBe(4);
    expect(await countOf('article_old_path')).toBe(0);
  });

  it('imports, re-imports unchanged, and updates by the source id, never duplicating', async () => {
    const first = await importSourcePosts(
      gateway.db,
      [{ post: post('1') }, { post: post('2') }],
      options,
    );
    expect(first.articles).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(first.oldPaths).toBe(4);
    const articles = await countOf('article');

    const again = await importSourcePosts(
      gateway.db,
      [{ post: post('1') }, { post: post('2') }],
      options,
    );
    expect(again.articles).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(again.authors).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect(again.tags).toEqual({ created: 0, updated: 0, unchanged: 2 });

    // The post was renamed on the old site: the same article, under the new slug.
    const renamed = await importSourcePosts(
      gateway.db,
      [{ post: post('1', { slug: 'post-one', title: 'Post one' }) }],
      options,
    );
    expect(renamed.articles).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(await countOf('article')).toBe(articles);
    const { body } = await gateway.gql<{ article: Json }>(
      'query ($slug: String!) { article(slug: $slug) { slug title tags { slug } } }',
      { slug: 'post-1' },
    );
    expect(body.data?.article).toEqual({
      slug: 'post-one',
      title: 'Post one',
      tags: [{ slug: 'news' }, { slug: 'tips' }],
    });
  });

  it('refuses a post that breaks a rule or takes another article slug, and imports the rest', async () => {
    const report = await importSourcePosts(
      gateway.db,
      [
        { post: post('7', { slug: 'Not A Slug' }) },
        { post: post('8', { slug: 'post-2' }) },
        { post: post('9') },
      ],
      options,
    );
    expect(report.refused.map(item => [item.sourceId, item.line])).toEqual([
      ['7', 70],
      ['8', 80],
    ]);
    expect(report.refused[0].message).toMatch(/^values\.slug: /);
    expect(report.refused[1].message).toMatch(/post-2 is the current or an earlier slug/);
    expect(report.articles.created).toBe(1);
  });
});

describe('normalizeOldPath', () => {
  it.each([
    ['https://old.example.org/2024/05/post-1/', '/2024/05/post-1'],
    ['http://www.old.example.org/2024/05/post-1', '/2024/05/post-1'],
    ['/2024/05/K%C3%BCche/', '/2024/05/küche'],
    ['https://old.example.org/?p=12&utm_source=x', '/?p=12'],
    ['/', '/'],
    ['mailto:someone@example.org', null],
    ['', null],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeOldPath(input)).toBe(expected);
  });
});
