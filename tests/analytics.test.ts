import { describeEachDatabase } from './helpers/databases';
import { articleFile, articleSeries } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { mostRead, view } from './helpers/views';
import { createToken, revokeToken } from '../src/access/apiTokens';
import { importViewCounts } from '../src/views/viewImport';

const viewStatsQuery = /* GraphQL */ `
  query ViewStats(
    $from: DateTime!
    $to: DateTime!
    $granularity: Granularity
    $slugs: [String!]
    $first: Int
    $after: String
  ) {
    viewStats(
      from: $from
      to: $to
      granularity: $granularity
      slugs: $slugs
      first: $first
      after: $after
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          article {
            id
            slug
          }
          total
          points {
            start
            views
            uniqueVisitors
          }
        }
      }
    }
  }
`;

interface Series {
  article: { id: string; slug: string };
  total: number;
  points: { start: string; views: number; uniqueVisitors: number }[];
}

interface ViewStatsResult {
  viewStats: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: Series }[];
  };
}

describeEachDatabase('analytics', dialect => {
  let gateway: TestGateway;
  let secret: string;
  let contentToken: string;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    await gateway.importFiles([
      ...articleSeries(5),
      articleFile({ slug: 'entwurf', status: 'draft', date: null }),
    ]);
    secret = await createToken(gateway.db, 'report-job', ['analytics:read'], gateway.clock());
    contentToken = await createToken(gateway.db, 'editor', ['content:preview'], gateway.clock());
    // Views on three days of the week of Monday 2026-11-23, at different hours.
    const plan: [string, string, number][] = [
      ['2026-11-23T08:10:00Z', 'serie-001', 3],
      ['2026-11-23T19:30:00Z', 'serie-001', 2],
      ['2026-11-25T07:00:00Z', 'serie-002', 4],
      ['2026-11-29T09:15:00Z', 'serie-001', 1],
      ['2026-11-29T09:20:00Z', 'serie-003', 2],
    ];
    let visitor = 0;
    for (const [at, slug, count] of plan) {
      gateway.clock.set(at);
      for (let index = 0; index < count; index += 1) {
        visitor += 1;
        await view(gateway, slug, `leser-${visitor}`);
      }
    }
    await gateway.flushViews();
    gateway.clock.set('2026-11-29T12:00:00Z');
  });
  afterAll(() => gateway.close());

  const stats = (variables: Record<string, unknown>, token: string | null = secret) =>
    gateway.gql<ViewStatsResult>(
      viewStatsQuery,
      variables,
      token ? { authorization: `Bearer ${token}` } : {},
    );

  it('answers viewStats only to a token with analytics:read', async () => {
    const range = { from: '2026-11-23T00:00:00Z', to: '2026-11-30T00:00:00Z' };
    const anonymous = await stats(range, null);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const unknown = await stats(range, 'cgt_unknown');
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const wrongScope = await stats(range, contentToken);
    expect(wrongScope.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(wrongScope.body.errors?.[0]?.message).toContain('analytics:read');
    const allowed = await stats(range);
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.headers.get('cache-control')).toContain('no-store');
  });

  it('returns dense daily series whose totals are the sums of their points', async () => {
    const { body } = await stats({ from: '2026-11-23T00:00:00Z', to: '2026-11-30T00:00:00Z' });
    const series = body.data!.viewStats.edges.map(edge => edge.node);
    expect(body.data!.viewStats.totalCount).toBe(3);
    expect(series.map(s => s.article.slug)).toEqual(['serie-001', 'serie-002', 'serie-003']);
    for (const s of series) {
      expect(s.points).toHaveLength(7);
      expect(s.total).toBe(s.points.reduce((sum, point) => sum + point.views, 0));
    }
    expect(series[0].points.map(point => point.views)).toEqual([5, 0, 0, 0, 0, 0, 1]);
    expect(series[0].points[0].start).toBe('2026-11-23T00:00:00.000Z');
    expect(series[1].points.map(point => point.views)).toEqual([0, 0, 4, 0, 0, 0, 0]);
  });

  it('buckets by UTC hour, by weeks starting on Monday and by month', async () => {
    const hours = await stats({
      from: '2026-11-23T08:00:00Z',
      to: '2026-11-23T20:00:00Z',
      granularity: 'HOUR',
      slugs: ['serie-001'],
    });
    const points = hours.body.data!.viewStats.edges[0].node.points;
    expect(points).toHaveLength(12);
    expect(points[0]).toEqual({ start: '2026-11-23T08:00:00.000Z', views: 3, uniqueVisitors: 3 });
    expect(points[11]).toEqual({ start: '2026-11-23T19:00:00.000Z', views: 2, uniqueVisitors: 2 });
    const weeks = await stats({
      from: '2026-11-25T00:00:00Z',
      to: '2026-11-30T00:00:00Z',
      granularity: 'WEEK',
      slugs: ['serie-001', 'serie-002'],
    });
    const weekSeries = weeks.body.data!.viewStats.edges.map(edge => edge.node);
    // 2026-11-25 is a Wednesday: its week starts on Monday the 23rd and holds all six views.
    expect(weekSeries[0].points).toEqual([
      { start: '2026-11-23T00:00:00.000Z', views: 6, uniqueVisitors: 6 },
    ]);
    const months = await stats({
      from: '2026-10-01T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
      granularity: 'MONTH',
      slugs: ['serie-002'],
    });
    expect(months.body.data!.viewStats.edges[0].node.points.map(p => [p.start, p.views])).toEqual([
      ['2026-10-01T00:00:00.000Z', 0],
      ['2026-11-01T00:00:00.000Z', 4],
    ]);
  });

  it('refuses HOUR before the hourly retention, reversed ranges and too many buckets', async () => {
    const old = await stats({
      from: '2026-06-01T00:00:00Z',
      to: '2026-06-02T00:00:00Z',
      granularity: 'HOUR',
    });
    expect(old.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(old.body.errors?.[0]?.message).toContain('HOUR granularity is kept for 90 days');
    const reversed = await stats({ from: '2026-11-30T00:00:00Z', to: '2026-11-01T00:00:00Z' });
    expect(reversed.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await stats({ from: '2020-01-01T00:00:00Z', to: '2026-11-01T00:00:00Z' });
    expect(tooMany.body.errors?.[0]?.message).toContain('at most 1000 DAY buckets');
  });

  it('pages the series with cursors', async () => {
    const range = { from: '2026-11-23T00:00:00Z', to: '2026-11-30T00:00:00Z', first: 2 };
    const first = await stats(range);
    expect(first.body.data!.viewStats.pageInfo.hasNextPage).toBe(true);
    const second = await stats({ ...range, after: first.body.data!.viewStats.pageInfo.endCursor });
    expect(second.body.data!.viewStats.edges.map(edge => edge.node.article.slug)).toEqual([
      'serie-003',
    ]);
    expect(second.body.data!.viewStats.pageInfo.hasNextPage).toBe(false);
  });

  it('exports the same numbers as viewStats and mostRead, as CSV and as NDJSON', async () => {
    const range = 'from=2026-11-23&to=2026-11-30T00:00:00Z&granularity=day';
    const csvResponse = await fetch(`${gateway.url}/exports/views?${range}&format=csv`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(csvResponse.status).toBe(200);
    expect(csvResponse.headers.get('content-type')).toContain('text/csv');
    const csvLines = (await csvResponse.text()).trim().split('\n');
    expect(csvLines[0]).toBe(
      'article_id,slug,bucket_start,views,unique_visitors,reads,engagement_reports,average_engaged_seconds',
    );
    const csvRows = csvLines.slice(1).map(line => {
      const [articleId, slug, start, views, uniques] = line.split(',');
      return { articleId, slug, start, views: Number(views), uniques: Number(uniques) };
    });
    const ndjsonResponse = await fetch(`${gateway.url}/exports/views?${range}&format=ndjson`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    const ndjsonRows = (await ndjsonResponse.text())
      .trim()
      .split('\n')
      .map(line => JSON.parse(line) as Record<string, string | number>)
      .map(row => ({
        articleId: row.article_id,
        slug: row.slug,
        start: row.bucket_start,
        views: row.views,
        uniques: row.unique_visitors,
      }));
    expect(ndjsonRows).toEqual(csvRows);

    const { body } = await stats({ from: '2026-11-23T00:00:00Z', to: '2026-11-30T00:00:00Z' });
    const fromStats = body.data!.viewStats.edges.flatMap(edge =>
      edge.node.points.map(point => ({
        articleId: edge.node.article.id,
        slug: edge.node.article.slug,
        start: point.start,
        views: point.views,
        uniques: point.uniqueVisitors,
      })),
    );
    expect(csvRows).toEqual(fromStats);

    // mostRead over the last 7 days (from 2026-11-22T12:00) covers the same views.
    const ranking = await mostRead(gateway, { first: 10, window: 'LAST_7_DAYS' });
    const totals = new Map<string, number>();
    for (const row of csvRows) totals.set(row.slug, (totals.get(row.slug) ?? 0) + row.views);
    expect(new Map(ranking.edges.map(edge => [edge.node.slug, edge.views]))).toEqual(totals);
  });

  it('answers the export 401 without a token, 403 with the wrong scope, 400 for bad input', async () => {
    const url = `${gateway.url}/exports/views?from=2026-11-23&to=2026-11-30`;
    const none = await fetch(url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await fetch(url, { headers: { authorization: `Bearer ${contentToken}` } });
    expect(wrong.status).toBe(403);
    const bad = await fetch(`${url}&format=xml`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as {
      errors: { message: string; extensions: { code: string } }[];
    };
    expect(body.errors[0].message).toContain('format must be csv or ndjson');
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('stops accepting a token as soon as it is revoked', async () => {
    const temporary = await createToken(
      gateway.db,
      'temporary',
      ['analytics:read'],
      gateway.clock(),
    );
    const range = { from: '2026-11-23T00:00:00Z', to: '2026-11-24T00:00:00Z' };
    expect((await stats(range, temporary)).body.errors).toBeUndefined();
    expect(await revokeToken(gateway.db, 'temporary', gateway.clock())).toBe(true);
    expect((await stats(range, temporary)).body.errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('imports historical daily counts idempotently and all or nothing', async () => {
    const csv =
      'slug,date,views,unique_visitors\nserie-004,2025-03-01,120,90\nserie-004,2025-03-02,80\n';
    expect((await importViewCounts(gateway.db, csv)).problems).toEqual([]);
    expect((await importViewCounts(gateway.db, csv)).problems).toEqual([]);
    const { body } = await stats({
      from: '2025-03-01T00:00:00Z',
      to: '2025-03-03T00:00:00Z',
      slugs: ['serie-004'],
    });
    expect(body.data!.viewStats.edges[0].node.points.map(p => [p.views, p.uniqueVisitors])).toEqual(
      [
        [120, 90],
        [80, 80],
      ],
    );
    const bad = await importViewCounts(
      gateway.db,
      'serie-004,2025-03-01,999\nunbekannt,2025-03-01,5\nserie-004,2025-02-30,5\nserie-004,2025-03-04,x\nserie-004,2025-03-01,1\n',
    );
    expect(bad.problems.map(problem => problem.line)).toEqual([2, 3, 4, 5]);
    const after = await stats({
      from: '2025-03-01T00:00:00Z',
      to: '2025-03-02T00:00:00Z',
      slugs: ['serie-004'],
    });
    // Nothing of the bad file was written: line 1 alone was valid.
    expect(after.body.data!.viewStats.edges[0].node.total).toBe(120);
    gateway.clock.advance(2000);
    const allTime = await mostRead(gateway, { first: 1, window: 'ALL_TIME' });
    expect(allTime.edges[0]).toMatchObject({ node: { slug: 'serie-004' }, views: 200 });
  });
});
