import { describeEachDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { testClock } from './helpers/testClock';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { view } from './helpers/views';
import { createToken } from '../src/access/apiTokens';
import { loadConfig } from '../src/config';
import { dialectOf } from '../src/db/dialect';
import { writeTransaction } from '../src/db/writeTransaction';
import { calendarOf, SiteCalendar } from '../src/views/siteCalendar';
import { importViewCounts } from '../src/views/viewImport';
import { recutDays } from '../src/views/viewRecut';
import { addViewCounts } from '../src/views/viewRollups';

const viewStatsQuery = /* GraphQL */ `
  query ViewStats($from: DateTime!, $to: DateTime!, $granularity: Granularity, $slugs: [String!]) {
    viewStats(from: $from, to: $to, granularity: $granularity, slugs: $slugs) {
      edges {
        node {
          article {
            slug
          }
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

type Point = { start: string; views: number; uniqueVisitors: number };

describe('SiteCalendar (Europe/Berlin)', () => {
  const berlin = new SiteCalendar('Europe/Berlin');
  const day = (at: string) => {
    const { start, end } = berlin.dayOf(Date.parse(at));
    return [new Date(start).toISOString(), (end - start) / 3_600_000];
  };

  it('has a 23-hour day on 2026-03-29 and a 25-hour day on 2026-10-25', () => {
    expect(day('2026-03-29T12:00:00Z')).toEqual(['2026-03-28T23:00:00.000Z', 23]);
    expect(day('2026-10-25T12:00:00Z')).toEqual(['2026-10-24T22:00:00.000Z', 25]);
    // The hour before midnight in Berlin is still the day before.
    expect(day('2026-03-28T22:59:59Z')).toEqual(['2026-03-27T23:00:00.000Z', 24]);
    expect(day('2026-03-28T23:00:00Z')).toEqual(['2026-03-28T23:00:00.000Z', 23]);
  });

  it('starts ISO weeks on Monday and months on the 1st, in Berlin time', () => {
    const iso = (at: number) => new Date(at).toISOString();
    expect(iso(berlin.startOfWeek(Date.parse('2026-03-29T21:59:00Z')))).toBe(
      '2026-03-22T23:00:00.000Z',
    );
    expect(iso(berlin.startOfWeek(Date.parse('2026-03-29T22:00:00Z')))).toBe(
      '2026-03-29T22:00:00.000Z',
    );
    expect(iso(berlin.startOfMonth(Date.parse('2026-03-31T22:30:00Z')))).toBe(
      '2026-03-31T22:00:00.000Z',
    );
    expect(iso(berlin.addMonths(Date.parse('2026-10-15T00:00:00Z'), 1))).toBe(
      '2026-10-31T23:00:00.000Z',
    );
  });

  it('finds the first instant of a day that starts after a gap at midnight (America/Santiago)', () => {
    const santiago = new SiteCalendar('America/Santiago');
    // 2026-09-06: clocks go from 24:00 to 01:00, so the day starts at 01:00 local (04:00 UTC).
    const { start, end } = santiago.dayOf(Date.parse('2026-09-06T12:00:00Z'));
    expect([new Date(start).toISOString(), (end - start) / 3_600_000]).toEqual([
      '2026-09-06T04:00:00.000Z',
      23,
    ]);
  });
});

describe('SITE_TIME_ZONE', () => {
  it('takes IANA names in their canonical spelling and refuses others and part-hour zones', () => {
    expect(loadConfig({ SITE_TIME_ZONE: 'europe/berlin' }).views.timeZone).toBe('Europe/Berlin');
    expect(loadConfig({}).views.timeZone).toBe('UTC');
    expect(loadConfig({ SITE_TIME_ZONE: 'Etc/UTC' }).views.timeZone).toBe('UTC');
    expect(() => loadConfig({ SITE_TIME_ZONE: 'Mars/Olympus_Mons' })).toThrow(
      'expected an IANA time zone name',
    );
    expect(() => loadConfig({ SITE_TIME_ZONE: '+01:00' })).toThrow('IANA');
    expect(() => loadConfig({ SITE_TIME_ZONE: 'Asia/Kolkata' })).toThrow('UTC+05:30');
    // Half an hour of summer time is refused too.
    expect(() => loadConfig({ SITE_TIME_ZONE: 'Australia/Lord_Howe' })).toThrow('whole number');
  });
});

describeEachDatabase('the site time zone Europe/Berlin', dialect => {
  let gateway: TestGateway;
  let secret: string;
  let visitor = 0;
  const clock = testClock('2026-03-20T12:00:00Z');

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, {
      clock,
      env: { SITE_TIME_ZONE: 'Europe/Berlin', VIEW_RATE_PER_MINUTE: '100000' },
    });
    await gateway.importFiles(articleSeries(2));
    secret = await createToken(gateway.db, 'job', ['analytics:read'], clock());
  });
  afterAll(() => gateway.close());

  /** `count` views of serie-001 at `at`, the first by `first` if given, the rest new visitors. */
  async function viewsAt(at: string, count: number, first?: string) {
    clock.set(at);
    for (let index = 0; index < count; index += 1) {
      const id = index === 0 && first ? first : `leser-${(visitor += 1)}`;
      expect(await view(gateway, 'serie-001', id)).toBe(true);
    }
  }

  const stats = async (variables: Record<string, unknown>): Promise<Point[]> => {
    const { body } = await gateway.gql<{
      viewStats: { edges: { node: { points: Point[] } }[] };
    }>(
      viewStatsQuery,
      { slugs: ['serie-001'], ...variables },
      { authorization: `Bearer ${secret}` },
    );
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!.viewStats.edges[0].node.points;
  };

  const march = { from: '2026-03-28T00:00:00+01:00', to: '2026-03-31T00:00:00+02:00' };
  const marchDays = [
    { start: '2026-03-27T23:00:00.000Z', views: 1, uniqueVisitors: 1 },
    // 2 + 3 views; 'a' read at 23:30 and again at 00:30 Berlin time: unique on both days.
    { start: '2026-03-28T23:00:00.000Z', views: 5, uniqueVisitors: 5 },
    { start: '2026-03-29T22:00:00.000Z', views: 4, uniqueVisitors: 4 },
  ];

  it('cuts days, weeks and months at Berlin midnight across the March change (23 hours)', async () => {
    await viewsAt('2026-03-28T22:30:00Z', 1, 'a'); // 23:30 CET, March 28
    await viewsAt('2026-03-28T23:30:00Z', 2, 'a'); // 00:30 CET, March 29
    await viewsAt('2026-03-29T21:30:00Z', 3); // 23:30 CEST, March 29
    await viewsAt('2026-03-29T22:30:00Z', 4); // 00:30 CEST, March 30
    await gateway.flushViews();
    clock.set('2026-03-30T12:00:00Z');
    expect(await stats(march)).toEqual(marchDays);
    const hours = await stats({
      from: '2026-03-29T00:00:00+01:00',
      to: '2026-03-30T00:00:00+02:00',
      granularity: 'HOUR',
    });
    expect(hours).toHaveLength(23);
    expect(hours.reduce((sum, point) => sum + point.views, 0)).toBe(5);
    const weeks = await stats({ ...march, granularity: 'WEEK' });
    expect(weeks.map(point => [point.start, point.views])).toEqual([
      ['2026-03-22T23:00:00.000Z', 6],
      ['2026-03-29T22:00:00.000Z', 4],
    ]);
    const months = await stats({ ...march, granularity: 'MONTH' });
    expect(months.map(point => [point.start, point.views])).toEqual([
      ['2026-02-28T23:00:00.000Z', 10],
    ]);
  });

  it('compacts those hours into Berlin days with the same answers', async () => {
    // October: 90 days later the flusher folds March's hours into days.
    await viewsAt('2026-10-24T21:30:00Z', 5); // 23:30 CEST, October 24
    await viewsAt('2026-10-24T22:30:00Z', 6); // 00:30 CEST, October 25
    await viewsAt('2026-10-25T22:30:00Z', 7); // 23:30 CET, October 25
    await viewsAt('2026-10-25T23:30:00Z', 8); // 00:30 CET, October 26
    await gateway.flushViews();
    const days: { bucket_start: number; views: number }[] = await gateway.db.query(
      'SELECT bucket_start, views FROM article_view_day ORDER BY bucket_start',
    );
    expect(
      days.map(row => [new Date(Number(row.bucket_start)).toISOString(), Number(row.views)]),
    ).toEqual(marchDays.map(point => [point.start, point.views]));
    const hoursLeft: { hours: number }[] = await gateway.db.query(
      'SELECT COUNT(*) AS hours FROM (SELECT bucket_start FROM article_view_hour UNION ALL SELECT bucket_start FROM article_view_recent) h',
    );
    expect(Number(hoursLeft[0].hours)).toBe(4);
    clock.set('2026-10-27T12:00:00Z');
    expect(await stats(march)).toEqual(marchDays);
  });

  it('cuts the 25-hour day of the October change from hourly rows', async () => {
    const october = await stats({
      from: '2026-10-24T00:00:00+02:00',
      to: '2026-10-27T00:00:00+01:00',
    });
    expect(october.map(point => [point.start, point.views])).toEqual([
      ['2026-10-23T22:00:00.000Z', 5],
      ['2026-10-24T22:00:00.000Z', 13],
      ['2026-10-25T23:00:00.000Z', 8],
    ]);
    const hours = await stats({
      from: '2026-10-25T00:00:00+02:00',
      to: '2026-10-26T00:00:00+01:00',
      granularity: 'HOUR',
    });
    expect(hours).toHaveLength(25);
  });

  it('exports Berlin days, dates read as Berlin midnights', async () => {
    const response = await fetch(
      `${gateway.url}/exports/views?from=2026-10-24&to=2026-10-27&slugs=serie-001`,
      { headers: { authorization: `Bearer ${secret}` } },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('views-day-2026-10-24.csv');
    const rows = (await response.text()).trim().split('\n').slice(1);
    expect(rows.map(line => line.split(',').slice(2, 4).join(' '))).toEqual([
      '2026-10-23T22:00:00.000Z 5',
      '2026-10-24T22:00:00.000Z 13',
      '2026-10-25T23:00:00.000Z 8',
    ]);
  });

  it('imports dates as days of the site', async () => {
    const report = await importViewCounts(
      gateway.db,
      'serie-000,2026-03-29,7\n',
      new SiteCalendar('Europe/Berlin'),
    );
    expect(report.problems).toEqual([]);
    const rows: { bucket_start: number }[] = await gateway.db.query(
      "SELECT d.bucket_start FROM article_view_day d JOIN article a ON a.internal_id = d.article_id WHERE a.slug = 'serie-000'",
    );
    expect(rows.map(row => new Date(Number(row.bucket_start)).toISOString())).toEqual([
      '2026-03-28T23:00:00.000Z',
    ]);
  });
});

describeEachDatabase('views:recut after a change from UTC to America/New_York', dialect => {
  let gateway: TestGateway;
  let secret: string;
  const clock = testClock('2026-11-20T12:00:00Z');

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, {
      clock,
      env: { SITE_TIME_ZONE: 'America/New_York' },
    });
    await gateway.importFiles(articleSeries(2));
    secret = await createToken(gateway.db, 'job', ['analytics:read'], clock());
    const day = (at: string, views: number) => ({
      articleId: 2,
      bucketStart: Date.parse(at),
      views,
      uniqueVisitors: views,
    });
    // Days cut in UTC before the change, and one cut in New York since (March 2nd).
    await writeTransaction(gateway.db, manager =>
      addViewCounts(
        manager,
        dialectOf(gateway.db),
        [
          day('2026-03-01T00:00:00Z', 10),
          day('2026-03-02T00:00:00Z', 20),
          day('2026-03-02T05:00:00Z', 5),
        ],
        'article_view_day',
      ),
    );
  });
  afterAll(() => gateway.close());

  const days = async () => {
    const { body } = await gateway.gql<{
      viewStats: { edges: { node: { points: Point[] } }[] };
    }>(
      viewStatsQuery,
      { from: '2026-02-28T00:00:00-05:00', to: '2026-03-03T00:00:00-05:00', slugs: ['serie-001'] },
      { authorization: `Bearer ${secret}` },
    );
    return body.data!.viewStats.edges[0].node.points.map(point => point.views);
  };

  it('files days cut in UTC under their own dates in the new zone, once', async () => {
    // UTC midnight is 19:00 the day before in New York: each UTC day shows a day early.
    expect(await days()).toEqual([10, 20, 5]);
    const report = await recutDays(
      gateway.db,
      calendarOf('America/New_York'),
      calendarOf('UTC'),
      clock().getTime(),
      90,
    );
    expect(report).toEqual({ daysMoved: 2, rowsMoved: 2, detailRowsMoved: 0 });
    expect(await days()).toEqual([0, 10, 25]);
    const rows: { bucket_start: number; views: number }[] = await gateway.db.query(
      'SELECT bucket_start, views FROM article_view_day ORDER BY bucket_start',
    );
    expect(
      rows.map(row => [new Date(Number(row.bucket_start)).toISOString(), Number(row.views)]),
    ).toEqual([
      ['2026-03-01T05:00:00.000Z', 10],
      ['2026-03-02T05:00:00.000Z', 25],
    ]);
    const again = await recutDays(
      gateway.db,
      calendarOf('America/New_York'),
      calendarOf('UTC'),
      clock().getTime(),
      90,
    );
    expect(again).toEqual({ daysMoved: 0, rowsMoved: 0, detailRowsMoved: 0 });
    const totals: { views: number }[] = await gateway.db.query(
      'SELECT views FROM article_view_total',
    );
    expect(totals.map(row => Number(row.views))).toEqual([35]);
  });
});
