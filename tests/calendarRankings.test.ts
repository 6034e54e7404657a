import { describeEachDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { statementsRun } from './helpers/statementsRun';
import { testClock } from './helpers/testClock';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { browserAgent, recordViewMutation } from './helpers/views';

const rankingQuery = /* GraphQL */ `
  query MostReadPeriod(
    $window: ViewWindow
    $range: ViewRangeInput
    $metric: RankingMetric
    $first: Int
  ) {
    mostRead(window: $window, range: $range, metric: $metric, first: $first) {
      window
      isFallback
      period {
        from
        to
      }
      previousPeriod {
        from
        to
      }
      edges {
        rank
        views
        previousRank
        viewsChange
        node {
          slug
          viewCount(window: $window, range: $range)
        }
      }
    }
  }
`;

interface Ranking {
  window: string;
  isFallback: boolean;
  period: { from: string; to: string } | null;
  previousPeriod: { from: string; to: string } | null;
  edges: {
    rank: number;
    views: number;
    previousRank: number | null;
    viewsChange: number | null;
    node: { slug: string; viewCount: number };
  }[];
}

describeEachDatabase('calendar windows and movement in Europe/Berlin', dialect => {
  let gateway: TestGateway;
  const clock = testClock('2026-02-10T12:00:00Z');
  let visitor = 0;

  // Each line: when (UTC), which article, how many views (new visitors each).
  const plan: [string, string, number][] = [
    ['2026-02-15T12:00:00Z', 'serie-000', 1], // February
    ['2026-02-28T23:30:00Z', 'serie-000', 7], // 00:30 on March 1st in Berlin (UTC: February)
    ['2026-03-20T12:00:00Z', 'serie-004', 6], // last week
    ['2026-03-22T23:30:00Z', 'serie-001', 2], // 00:30 on Monday the 23rd (UTC: Sunday)
    ['2026-03-27T12:00:00Z', 'serie-003', 5], // the day before yesterday
    ['2026-03-28T10:00:00Z', 'serie-001', 3], // yesterday
    ['2026-03-28T22:30:00Z', 'serie-002', 1], // 23:30 yesterday
    ['2026-03-28T23:30:00Z', 'serie-002', 4], // 00:30 today (UTC: still yesterday)
    ['2026-03-29T21:15:00Z', 'serie-003', 2], // 23:15 today, the 23-hour day
  ];

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, {
      clock,
      env: { SITE_TIME_ZONE: 'Europe/Berlin', VIEW_RATE_PER_MINUTE: '100000' },
    });
    await gateway.importFiles(articleSeries(5));
    for (const [at, slug, count] of plan) {
      clock.set(at);
      for (let index = 0; index < count; index += 1) {
        const { body } = await gateway.gql(
          recordViewMutation,
          { input: { slug, visitorId: `leser-${(visitor += 1)}` } },
          { 'user-agent': browserAgent },
        );
        expect(body.errors).toBeUndefined();
      }
      await gateway.flushViews();
    }
    // 23:30 on Sunday, March 29 in Berlin (summer time since 03:00).
    clock.set('2026-03-29T21:30:00Z');
  });
  afterAll(() => gateway.close());

  const ranking = async (variables: Record<string, unknown>) => {
    const response = await gateway.gql<{ mostRead: Ranking }>(rankingQuery, {
      first: 10,
      ...variables,
    });
    if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
    return { ...response, ranking: response.body.data!.mostRead };
  };
  const rows = (value: Ranking) =>
    value.edges.map(edge => [edge.node.slug, edge.views, edge.previousRank, edge.viewsChange]);

  it('TODAY starts at Berlin midnight and compares with all of yesterday', async () => {
    const { ranking: today } = await ranking({ window: 'TODAY' });
    expect(today.period).toEqual({
      from: '2026-03-28T23:00:00.000Z',
      to: '2026-03-29T22:00:00.000Z',
    });
    expect(today.previousPeriod).toEqual({
      from: '2026-03-27T23:00:00.000Z',
      to: '2026-03-28T23:00:00.000Z',
    });
    // Yesterday: serie-001 3 views (rank 1), serie-002 1 (rank 2); serie-003 is new today.
    expect(rows(today)).toEqual([
      ['serie-002', 4, 2, 3],
      ['serie-003', 2, null, 2],
    ]);
    expect(today.edges.every(edge => edge.node.viewCount === edge.views)).toBe(true);
  });

  it('YESTERDAY, THIS_WEEK, LAST_WEEK, THIS_MONTH and LAST_MONTH', async () => {
    const yesterday = (await ranking({ window: 'YESTERDAY' })).ranking;
    expect(rows(yesterday)).toEqual([
      ['serie-001', 3, null, 3],
      ['serie-002', 1, null, 1],
    ]);
    const thisWeek = (await ranking({ window: 'THIS_WEEK' })).ranking;
    expect(thisWeek.period?.from).toBe('2026-03-22T23:00:00.000Z');
    // Last week up to Sunday 24:00 as well: serie-004's 6 views (rank 1).
    expect(rows(thisWeek)).toEqual([
      ['serie-003', 7, null, 7],
      ['serie-001', 5, null, 5],
      ['serie-002', 5, null, 5],
    ]);
    const lastWeek = (await ranking({ window: 'LAST_WEEK' })).ranking;
    expect(lastWeek.period).toEqual({
      from: '2026-03-15T23:00:00.000Z',
      to: '2026-03-22T23:00:00.000Z',
    });
    expect(rows(lastWeek)).toEqual([['serie-004', 6, null, 6]]);
    const thisMonth = (await ranking({ window: 'THIS_MONTH' })).ranking;
    expect(thisMonth.period?.from).toBe('2026-02-28T23:00:00.000Z');
    expect(thisMonth.previousPeriod).toEqual({
      from: '2026-01-31T23:00:00.000Z',
      to: '2026-02-28T23:00:00.000Z',
    });
    expect(rows(thisMonth)).toEqual([
      ['serie-000', 7, 1, 6],
      ['serie-003', 7, null, 7],
      ['serie-004', 6, null, 6],
      ['serie-001', 5, null, 5],
      ['serie-002', 5, null, 5],
    ]);
    const lastMonth = (await ranking({ window: 'LAST_MONTH' })).ranking;
    expect(rows(lastMonth)).toEqual([['serie-000', 1, null, 1]]);
  });

  it('ranks a custom range and the range of the same length before it', async () => {
    const range = { from: '2026-03-28T00:00:00+01:00', to: '2026-03-29T00:00:00+01:00' };
    const { ranking: custom, headers } = await ranking({ range });
    expect(custom.window).toBe('CUSTOM');
    expect(custom.previousPeriod).toEqual({
      from: '2026-03-26T23:00:00.000Z',
      to: '2026-03-27T23:00:00.000Z',
    });
    // The day before: serie-003's 5 views.
    expect(rows(custom)).toEqual([
      ['serie-001', 3, null, 3],
      ['serie-002', 1, null, 1],
    ]);
    expect(custom.edges.map(edge => edge.node.viewCount)).toEqual([3, 1]);
    expect(headers.get('cache-control')).toBe('max-age=86400, public');
    const days = await ranking({
      range: { from: '2026-03-27T00:00:00+01:00', to: '2026-03-29T00:00:00+01:00' },
    });
    expect(rows(days.ranking)).toEqual([
      ['serie-003', 5, null, 5],
      ['serie-001', 3, null, 3],
      ['serie-002', 1, null, 1],
    ]);
  });

  it('rolling windows compare with the same length before: LAST_7_DAYS and ALL_TIME', async () => {
    const week = (await ranking({ window: 'LAST_7_DAYS' })).ranking;
    // From 22:00 UTC on the 22nd: serie-004's 6 views on the 20th are the week before.
    expect(rows(week)).toEqual([
      ['serie-003', 7, null, 7],
      ['serie-001', 5, null, 5],
      ['serie-002', 5, null, 5],
    ]);
    const allTime = (await ranking({ window: 'ALL_TIME' })).ranking;
    expect(allTime.period).toBeNull();
    expect(allTime.edges.map(edge => [edge.previousRank, edge.viewsChange])).toEqual(
      Array.from({ length: 5 }, () => [null, null]),
    );
  });

  it('TRENDING ranks the period before by its own trend', async () => {
    const trending = (await ranking({ window: 'TODAY', metric: 'TRENDING' })).ranking;
    // Now: serie-003 (2 views 15 minutes ago) before serie-002 (4 views 22 hours ago). Then
    // (30 minutes before yesterday's end): serie-001 (3 views 12.5 hours before) before
    // serie-002 (1 view in the last hour).
    expect(rows(trending)).toEqual([
      ['serie-003', 2, null, 2],
      ['serie-002', 4, 2, 3],
    ]);
  });

  it('reads a ranking in one statement, its period before once an hour, its articles in one', async () => {
    // Snapshots are read outside the request's own count (x-sql-statements): the process's is
    // compared (the flusher is idle: no views, the clock stands still).
    const statements = async (window: string) => {
      const before = await statementsRun(gateway);
      const { body } = await gateway.gql(
        'query Top($window: ViewWindow) { mostRead(window: $window) { edges { rank previousRank viewsChange node { id } } } }',
        { window },
      );
      expect(body.errors).toBeUndefined();
      return (await statementsRun(gateway)) - before;
    };
    clock.set('2026-03-29T21:30:30Z');
    // First read: the ranking, the ranking of the 24 hours before, the articles.
    expect(await statements('LAST_24_HOURS')).toBe(3);
    // A minute later the snapshots are stale; the period before is the same hour's.
    clock.set('2026-03-29T21:31:31Z');
    expect(await statements('LAST_24_HOURS')).toBe(2);
    expect(await statements('TODAY')).toBe(2);
    expect(await statements('LAST_WEEK')).toBe(2);
  });

  it('caches closed periods for a day and calendar windows never past their next midnight', async () => {
    const policy = async (variables: Record<string, unknown>) =>
      (await ranking(variables)).headers.get('cache-control');
    // 23:32 in Berlin: yesterday moves on in 28 minutes.
    clock.set('2026-03-29T21:32:00Z');
    expect(await policy({ window: 'YESTERDAY' })).toBe('max-age=1680, public');
    expect(await policy({ window: 'LAST_MONTH' })).toBe('max-age=86400, public');
    expect(await policy({ window: 'TODAY' })).toBe('max-age=60, public');
    expect(await policy({ window: 'THIS_WEEK' })).toBe('max-age=300, public');
    expect(
      await policy({ range: { from: '2026-03-29T00:00:00+01:00', to: '2026-03-29T21:32:00Z' } }),
    ).toBe('max-age=60, public');
  });

  it('serves the calendar windows as most-read feeds, not CUSTOM', async () => {
    clock.set('2026-03-29T21:57:00Z');
    const yesterday = await fetch(`${gateway.url}/most-read/feed.xml?window=yesterday`);
    expect(yesterday.status).toBe(200);
    const xml = await yesterday.text();
    expect(xml).toContain('most read, yesterday');
    expect(xml.indexOf('serie-001')).toBeLessThan(xml.indexOf('serie-002'));
    // The content's 300 s, but not past Berlin midnight, 3 minutes away.
    expect(yesterday.headers.get('cache-control')).toContain('max-age=180');
    const custom = await fetch(`${gateway.url}/most-read/feed.xml?window=custom`);
    expect(custom.status).toBe(400);
  });

  it('refuses bad ranges with BAD_USER_INPUT naming the argument', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { range: { from: '2026-03-20T00:00:00Z', to: '2026-03-19T00:00:00Z' } },
        'range.to',
        'after',
      ],
      [
        { range: { from: '2025-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' } },
        'range.to',
        'at most 366 days',
      ],
      [
        { range: { from: '2026-03-29T00:00:00Z', to: '2026-03-30T00:00:00Z' } },
        'range.to',
        'future',
      ],
      [
        { window: 'TODAY', range: { from: '2026-03-28T00:00:00Z', to: '2026-03-29T00:00:00Z' } },
        'window',
        'CUSTOM or left out',
      ],
      [{ window: 'CUSTOM' }, 'range', 'needs range'],
    ];
    for (const [variables, field, message] of cases) {
      const { body, status } = await gateway.gql(rankingQuery, variables);
      expect([
        status,
        body.errors?.[0]?.extensions?.code,
        body.errors?.[0]?.extensions?.field,
      ]).toEqual([400, 'BAD_USER_INPUT', field]);
      expect(body.errors?.[0]?.message).toContain(message);
    }
  });
});
