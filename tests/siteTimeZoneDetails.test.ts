import { describeEachDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { testClock } from './helpers/testClock';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { browserAgent } from './helpers/views';
import { createToken } from '../src/access/apiTokens';
import { dialectOf } from '../src/db/dialect';
import { writeTransaction } from '../src/db/writeTransaction';
import { calendarOf } from '../src/views/siteCalendar';
import { addSourceCounts } from '../src/views/viewDetailRollups';
import { recutDays } from '../src/views/viewRecut';
import { addViewCounts } from '../src/views/viewRollups';

// Traffic sources and engagement are cut into the days of SITE_TIME_ZONE, as the views are: a
// day's breakdown sums to its views, and the bound on hosts counts per day of the site.

const statsQuery = /* GraphQL */ `
  query SourceDays($from: DateTime!, $to: DateTime!, $slugs: [String!], $breakdown: ViewBreakdown) {
    viewStats(from: $from, to: $to, granularity: DAY, slugs: $slugs, breakdown: $breakdown) {
      edges {
        node {
          article {
            id
          }
          points {
            start
            views
            reads
            breakdown {
              key
              views
            }
          }
        }
      }
    }
  }
`;

interface Point {
  start: string;
  views: number;
  reads: number;
  breakdown: { key: string | null; views: number }[];
}

async function days(
  gateway: TestGateway,
  secret: string,
  variables: Record<string, unknown>,
): Promise<Point[]> {
  const { body } = await gateway.gql<{ viewStats: { edges: { node: { points: Point[] } }[] } }>(
    statsQuery,
    { slugs: ['serie-001'], ...variables },
    { authorization: `Bearer ${secret}` },
  );
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!.viewStats.edges[0].node.points;
}

const isoOf = (at: unknown) => new Date(Number(at)).toISOString();

describeEachDatabase('sources and engagement in the days of Europe/Berlin', dialect => {
  let gateway: TestGateway;
  let secret: string;
  const clock = testClock('2026-03-28T12:00:00Z');

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, {
      clock,
      env: {
        SITE_TIME_ZONE: 'Europe/Berlin',
        SITE_HOSTS: 'zeitung.example',
        SOURCE_MAX_KEYS_PER_DAY: '2',
        VIEW_RATE_PER_MINUTE: '100000',
      },
    });
    await gateway.importFiles(articleSeries(2));
    secret = await createToken(gateway.db, 'job', ['analytics:read'], clock());
  });
  afterAll(() => gateway.close());

  async function beacon(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const response = await fetch(`${gateway.url}/views`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': browserAgent },
      body: JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  }

  // Around the March change (March 29 in Berlin lasts 23 hours). In UTC days, views 1-2 share
  // March 28 and views 3-6 March 29, so d.example would be the third host of a day.
  const plan: [string, string | undefined, string][] = [
    ['2026-03-28T22:30:00Z', 'https://x.example/', 'v-1'], // 23:30 CET, March 28
    ['2026-03-28T23:30:00Z', 'https://www.google.com/', 'v-2'], // 00:30 CET, March 29
    ['2026-03-29T10:00:00Z', 'https://t.co/', 'v-3'], // 12:00 CEST, March 29
    ['2026-03-29T21:30:00Z', 'https://c.example/', 'v-4'], // 23:30 CEST: the third host
    ['2026-03-29T22:30:00Z', 'https://d.example/', 'v-5'], // 00:30 CEST, March 30
    ['2026-03-29T23:00:00Z', undefined, 'v-6'], // 01:00 CEST, March 30: direct
  ];
  const range = { from: '2026-03-28T00:00:00+01:00', to: '2026-03-31T00:00:00+02:00' };
  const bySource = [
    {
      start: '2026-03-27T23:00:00.000Z',
      views: 1,
      reads: 0,
      breakdown: [{ key: 'OTHER', views: 1 }],
    },
    {
      start: '2026-03-28T23:00:00.000Z',
      views: 3,
      reads: 1,
      breakdown: [
        { key: 'OTHER', views: 1 },
        { key: 'SEARCH', views: 1 },
        { key: 'SOCIAL', views: 1 },
      ],
    },
    {
      start: '2026-03-29T22:00:00.000Z',
      views: 2,
      reads: 0,
      breakdown: [
        { key: 'DIRECT', views: 1 },
        { key: 'OTHER', views: 1 },
      ],
    },
  ];
  const byHost = [
    [{ key: 'x.example', views: 1 }],
    [
      { key: '(other)', views: 1 },
      { key: 'google.com', views: 1 },
      { key: 't.co', views: 1 },
    ],
    [
      { key: 'd.example', views: 1 },
      { key: null, views: 1 },
    ],
  ];

  /** Each day's breakdown sums to its views; the exact days and breakdowns. */
  async function expectDays(): Promise<void> {
    const sources = await days(gateway, secret, { ...range, breakdown: 'SOURCE' });
    for (const point of sources) {
      expect(point.breakdown.reduce((sum, item) => sum + item.views, 0)).toBe(point.views);
    }
    expect(sources).toEqual(bySource);
    const hosts = await days(gateway, secret, { ...range, breakdown: 'HOST' });
    expect(hosts.map(point => point.breakdown)).toEqual(byHost);
  }

  it('bounds hosts per Berlin day and breaks each day down to its views', async () => {
    for (const [at, referrer, visitorId] of plan) {
      clock.set(at);
      const viewId = visitorId === 'v-2' ? 'ansicht-0002' : undefined;
      expect(await beacon({ slug: 'serie-001', visitorId, referrer, viewId })).toMatchObject({
        counted: true,
      });
      if (viewId)
        expect(await beacon({ viewId, visibleSeconds: 90 })).toMatchObject({ read: true });
      // A flush a view: the host bound reads the day's keys back from the hourly rows.
      await gateway.flushViews();
    }
    clock.set('2026-03-30T12:00:00Z');
    await expectDays();
  });

  it('compacts sources and engagement into the same Berlin days as the views', async () => {
    // 100 days on, past HOURLY_RETENTION_DAYS (90): the flusher folds March's hours into days.
    clock.set('2026-07-10T12:00:00Z');
    await gateway.flushViews();
    await expectDays();
    for (const table of ['article_source_hour', 'article_engagement_hour', 'article_view_hour']) {
      const left = (await gateway.db.query(`SELECT COUNT(*) AS n FROM ${table}`)) as {
        n: unknown;
      }[];
      expect([table, Number(left[0].n)]).toEqual([table, 0]);
    }
    const dayStarts = async (table: string) =>
      (
        (await gateway.db.query(
          `SELECT DISTINCT bucket_start FROM ${table} ORDER BY bucket_start`,
        )) as { bucket_start: unknown }[]
      ).map(row => isoOf(row.bucket_start));
    const berlinMidnights = bySource.map(point => point.start);
    expect(await dayStarts('article_view_day')).toEqual(berlinMidnights);
    expect(await dayStarts('article_source_day')).toEqual(berlinMidnights);
    expect(await dayStarts('article_engagement_day')).toEqual(['2026-03-28T23:00:00.000Z']);
  });
});

describeEachDatabase(
  'views:recut re-cuts sources and engagement (UTC to Europe/Berlin)',
  dialect => {
    let gateway: TestGateway;
    let secret: string;
    let articleId: number;
    const clock = testClock('2026-11-20T12:00:00Z');

    beforeAll(async () => {
      gateway = await startTestGateway(dialect, {
        clock,
        env: { SITE_TIME_ZONE: 'Europe/Berlin' },
      });
      await gateway.importFiles(articleSeries(2));
      secret = await createToken(gateway.db, 'job', ['analytics:read'], clock());
      const found = (await gateway.db.query(
        "SELECT internal_id FROM article WHERE slug = 'serie-001'",
      )) as { internal_id: unknown }[];
      articleId = Number(found[0].internal_id);
      const db = dialectOf(gateway.db);
      const source = (at: string, from: string, host: string, views: number) => ({
        articleId,
        bucketStart: Date.parse(at),
        source: from,
        host,
        campaign: '',
        views,
        uniqueVisitors: views,
      });
      const count = (at: string, views: number) => ({
        articleId,
        bucketStart: Date.parse(at),
        views,
        uniqueVisitors: views,
      });
      await writeTransaction(gateway.db, async manager => {
        // Days cut in UTC before the change.
        await addViewCounts(
          manager,
          db,
          [count('2026-03-01T00:00:00Z', 4), count('2026-03-02T00:00:00Z', 3)],
          'article_view_day',
        );
        await addSourceCounts(
          manager,
          db,
          [
            source('2026-03-01T00:00:00Z', 'SEARCH', 'google.com', 4),
            source('2026-03-02T00:00:00Z', 'SOCIAL', 't.co', 3),
          ],
          'article_source_day',
        );
        await manager.query(
          `INSERT INTO article_engagement_day (article_id, bucket_start, reports, reads, engaged_seconds)
         VALUES (${articleId}, ${Date.parse('2026-03-01T00:00:00Z')}, 2, 1, 100)`,
        );
        // An hour older than the hourly retention, 00:00 CEST on August 2.
        await addViewCounts(manager, db, [count('2026-08-01T22:00:00Z', 2)]);
        await addSourceCounts(manager, db, [source('2026-08-01T22:00:00Z', 'DIRECT', '', 2)]);
      });
    });
    afterAll(() => gateway.close());

    const starts = async (table: string) =>
      (
        (await gateway.db.query(
          `SELECT bucket_start, SUM(views) AS views FROM ${table} GROUP BY bucket_start ORDER BY bucket_start`,
        )) as { bucket_start: unknown; views: unknown }[]
      ).map(row => [isoOf(row.bucket_start), Number(row.views)]);

    it('files UTC-cut source and engagement days under their dates in Berlin and compacts old hours into Berlin days, once', async () => {
      const recut = () =>
        recutDays(
          gateway.db,
          calendarOf('Europe/Berlin'),
          calendarOf('UTC'),
          clock().getTime(),
          90,
        );
      expect(await recut()).toEqual({ daysMoved: 2, rowsMoved: 2, detailRowsMoved: 3 });
      const berlinDays = [
        ['2026-02-28T23:00:00.000Z', 4],
        ['2026-03-01T23:00:00.000Z', 3],
        ['2026-08-01T22:00:00.000Z', 2],
      ];
      expect(await starts('article_view_day')).toEqual(berlinDays);
      expect(await starts('article_source_day')).toEqual(berlinDays);
      const engagement = (await gateway.db.query(
        'SELECT bucket_start, reports, reads FROM article_engagement_day',
      )) as { bucket_start: unknown; reports: unknown; reads: unknown }[];
      expect(
        engagement.map(row => [isoOf(row.bucket_start), Number(row.reports), Number(row.reads)]),
      ).toEqual([['2026-02-28T23:00:00.000Z', 2, 1]]);
      const august = await days(gateway, secret, {
        from: '2026-08-01T00:00:00+02:00',
        to: '2026-08-03T00:00:00+02:00',
        breakdown: 'SOURCE',
      });
      expect(august.map(point => [point.views, point.breakdown])).toEqual([
        [0, []],
        [2, [{ key: 'DIRECT', views: 2 }]],
      ]);
      expect(await recut()).toEqual({ daysMoved: 0, rowsMoved: 0, detailRowsMoved: 0 });
      expect(await starts('article_source_day')).toEqual(berlinDays);
    });
  },
);
