import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeEachDatabase } from './helpers/databases';
import { wordpressPost } from './helpers/sourcePosts';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { mostRead } from './helpers/views';
import { createToken } from '../src/access/apiTokens';
import { importSourcePosts } from '../src/content/import/source/importSourcePosts';
import { importPluginViews } from '../src/views/pluginViewImport';
import { SqlDumpReader } from '../src/views/sqlDumpRows';
import { importViewCounts } from '../src/views/viewImport';

const fixtures = path.join(__dirname, 'fixtures');
const wppSql = path.join(fixtures, 'wpp', 'wp_popularpostssummary.sql');
const wppCsv = path.join(fixtures, 'wpp', 'wp_popularpostssummary.csv');
const top10Sql = path.join(fixtures, 'top10', 'wp_top_ten_daily.sql');
const top10Tsv = path.join(fixtures, 'top10', 'wp_top_ten_daily.tsv');

const statsQuery = /* GraphQL */ `
  query ImportedStats($from: DateTime!, $to: DateTime!, $slugs: [String!]) {
    viewStats(from: $from, to: $to, granularity: DAY, slugs: $slugs) {
      edges {
        node {
          article {
            id
            slug
          }
          total
          points {
            start
            views
          }
        }
      }
    }
  }
`;

interface StatsResult {
  viewStats: {
    edges: {
      node: {
        article: { slug: string };
        total: number;
        points: { start: string; views: number }[];
      };
    }[];
  };
}

describeEachDatabase('views import from WordPress plugins', dialect => {
  let gateway: TestGateway;
  let token: string;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    const report = await importSourcePosts(
      gateway.db,
      ['101', '102', '103'].map(id => ({ post: wordpressPost(id) })),
      { revisionsKept: 10, now: new Date('2026-12-01T00:00:00Z') },
    );
    expect(report.articles.created).toBe(3);
    token = await createToken(gateway.db, 'report', ['analytics:read'], gateway.clock());
  });
  afterAll(async () => gateway.close());

  /** Each article's non-zero days of 2025-03-01..03, as "slug day views". */
  async function days(): Promise<string[]> {
    const { body } = await gateway.gql<StatsResult>(
      statsQuery,
      { from: '2025-03-01T00:00:00Z', to: '2025-03-04T00:00:00Z', slugs: null },
      { authorization: `Bearer ${token}` },
    );
    expect(body.errors).toBeUndefined();
    return body
      .data!.viewStats.edges.flatMap(({ node }) =>
        node.points
          .filter(point => point.views > 0)
          .map(point => `${node.article.slug} ${point.start.slice(0, 10)} ${point.views}`),
      )
      .sort();
  }

  const wppDays = [
    'post-101 2025-03-01 15',
    'post-101 2025-03-02 7',
    'post-102 2025-03-01 5',
    'post-102 2025-03-03 20',
  ];

  it('imports a mysqldump of WordPress Popular Posts, summing per post and day, ids through the WordPress import', async () => {
    const report = await importPluginViews(gateway.db, wppSql, { plugin: 'wpp' });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ rows: 6, days: 4, views: 47, site: 'old.example.org' });
    // Post 555 (a page, never imported) is reported with its first line, not written.
    expect(report.unknown).toEqual([{ postId: '555', line: 60, rows: 1, views: 40 }]);
    expect(await days()).toEqual(wppDays);
    gateway.clock.advance(60_000);
    const ranking = await mostRead(gateway, { first: 3, window: 'ALL_TIME' });
    expect(ranking.edges.map(edge => [edge.node.slug, edge.views])).toEqual([
      ['post-102', 25],
      ['post-101', 22],
    ]);
  });

  it('gives the same numbers on a re-import and from the CSV export of the same table', async () => {
    const again = await importPluginViews(gateway.db, wppSql, { plugin: 'wpp' });
    expect(again).toMatchObject({ days: 4, views: 47, problems: [] });
    const csv = await importPluginViews(gateway.db, wppCsv, { plugin: 'wpp' });
    expect(csv).toMatchObject({ rows: 6, days: 4, views: 47, problems: [] });
    expect(csv.unknown).toEqual([{ postId: '555', line: 4, rows: 1, views: 40 }]);
    expect(await days()).toEqual(wppDays);
  });

  it("imports Top 10's hourly rows of a phpMyAdmin dump and of a wp db query export as days", async () => {
    const sql = await importPluginViews(gateway.db, top10Sql, { plugin: 'top10' });
    expect(sql).toMatchObject({ rows: 4, days: 2, views: 19, problems: [] });
    expect(sql.unknown).toEqual([{ postId: '555', line: 43, rows: 1, views: 2 }]);
    const tsv = await importPluginViews(gateway.db, top10Tsv, { plugin: 'top10' });
    expect(tsv).toMatchObject({ rows: 4, days: 2, views: 19, problems: [] });
    // Top 10's day replaces what the last import wrote for post 101 on 2025-03-01 (15 -> 10).
    expect(await days()).toEqual([
      'post-101 2025-03-01 10',
      'post-101 2025-03-02 7',
      'post-102 2025-03-01 5',
      'post-102 2025-03-03 20',
      'post-103 2025-03-02 9',
    ]);
  });

  it('writes nothing from a file with a bad row, and names the line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wpp-'));
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(
      file,
      'postid,view_date,pageviews\n101,2025-03-01,1000\n102,2025-02-30,1\n10x,2025-03-01,1\n',
    );
    const report = await importPluginViews(gateway.db, file, { plugin: 'wpp' });
    expect(report.problems.map(problem => problem.line)).toEqual([3, 4]);
    expect(report.days).toBe(0);
    expect((await days())[0]).toBe('post-101 2025-03-01 10');
  });

  it('needs --blog-id for rows of several blogs, and takes that blog only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'top10-'));
    const file = path.join(dir, 'network.csv');
    fs.writeFileSync(
      file,
      'postnumber,cntaccess,dp_date,blog_id\n103,1,2025-03-03 01:00:00,1\n103,50,2025-03-03 02:00:00,2\n',
    );
    const mixed = await importPluginViews(gateway.db, file, { plugin: 'top10' });
    expect(mixed.problems[0].message).toContain('--blog-id');
    const one = await importPluginViews(gateway.db, file, { plugin: 'top10', blogId: '1' });
    expect(one).toMatchObject({ rows: 1, views: 1, problems: [] });
  });

  it('needs --site once posts of a second WordPress site are imported; the slug CSV still works', async () => {
    await importSourcePosts(
      gateway.db,
      [{ post: wordpressPost('101', { slug: 'other-101' }, 'other.example.org') }],
      { revisionsKept: 10 },
    );
    const ambiguous = await importPluginViews(gateway.db, wppCsv, { plugin: 'wpp' });
    expect(ambiguous.problems[0].message).toContain('name one with --site');
    const named = await importPluginViews(gateway.db, wppCsv, {
      plugin: 'wpp',
      site: 'other.example.org',
    });
    expect(named).toMatchObject({ days: 2, views: 22, problems: [] });
    expect((await importViewCounts(gateway.db, 'post-103,2025-03-03,4\n')).problems).toEqual([]);
  });
});

describe('SqlDumpReader', () => {
  it('follows quoted strings across statements and lines, and unescapes values', () => {
    const reader = new SqlDumpReader(table => table === 't');
    const lines = [
      "INSERT INTO `other` VALUES (1,'a; INSERT INTO `t` VALUES (9,9);",
      "still quoted');",
      'INSERT INTO `t` (`a`, `b`) VALUES',
      "(1, 'it''s \\'x\\'\\n'),",
      '(2, NULL);',
    ];
    const rows = lines.flatMap((text, index) => reader.feed(text, index + 1));
    expect(rows).toEqual([
      { line: 4, table: 't', columns: ['a', 'b'], values: ['1', "it's 'x'\n"] },
      { line: 5, table: 't', columns: ['a', 'b'], values: ['2', null] },
    ]);
    expect(reader.unfinished).toBe(false);
  });
});
