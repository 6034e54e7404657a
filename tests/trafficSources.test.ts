import { describeEachDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { browserAgent, mostRead } from './helpers/views';
import { createToken } from '../src/access/apiTokens';
import { createGateway } from '../src/gateway';

/** One view as a browser reports it: referrer and page URL (with utm_* where the link had them). */
interface SourceCase {
  referrer?: string;
  /** The page URL's query (utm_*); the page is the gateway's own /artikel/serie-001. */
  query?: string;
  source: string;
  host: string | null;
  campaign?: string | null;
}

// Referrers as browsers send them (cross-origin: the origin alone, the default policy), apps'
// android-app:// referrers, and UTM sets as newsletters, social posts and ads tag their links.
const cases: SourceCase[] = [
  { referrer: 'https://www.google.com/', source: 'SEARCH', host: 'google.com' },
  { referrer: 'https://www.google.de/', source: 'SEARCH', host: 'google.de' },
  { referrer: 'https://www.google.co.uk/', source: 'SEARCH', host: 'google.co.uk' },
  { referrer: 'https://www.google.com.br/', source: 'SEARCH', host: 'google.com.br' },
  { referrer: 'https://news.google.com/', source: 'SEARCH', host: 'news.google.com' },
  { referrer: 'https://www.bing.com/', source: 'SEARCH', host: 'bing.com' },
  { referrer: 'https://duckduckgo.com/', source: 'SEARCH', host: 'duckduckgo.com' },
  { referrer: 'https://www.ecosia.org/', source: 'SEARCH', host: 'ecosia.org' },
  { referrer: 'https://search.brave.com/', source: 'SEARCH', host: 'search.brave.com' },
  { referrer: 'https://yandex.ru/', source: 'SEARCH', host: 'yandex.ru' },
  { referrer: 'https://suche.t-online.de/', source: 'SEARCH', host: 'suche.t-online.de' },
  {
    referrer: 'android-app://com.google.android.googlequicksearchbox/',
    source: 'SEARCH',
    host: 'com.google.android.googlequicksearchbox',
  },
  { referrer: 'https://l.facebook.com/', source: 'SOCIAL', host: 'l.facebook.com' },
  { referrer: 'https://m.facebook.com/', source: 'SOCIAL', host: 'm.facebook.com' },
  { referrer: 'https://t.co/', source: 'SOCIAL', host: 't.co' },
  { referrer: 'https://www.linkedin.com/', source: 'SOCIAL', host: 'linkedin.com' },
  { referrer: 'https://www.reddit.com/', source: 'SOCIAL', host: 'reddit.com' },
  { referrer: 'https://news.ycombinator.com/', source: 'SOCIAL', host: 'news.ycombinator.com' },
  { referrer: 'https://mastodon.social/', source: 'SOCIAL', host: 'mastodon.social' },
  { referrer: 'https://bsky.app/', source: 'SOCIAL', host: 'bsky.app' },
  { referrer: 'https://l.instagram.com/', source: 'SOCIAL', host: 'l.instagram.com' },
  { referrer: 'https://www.pinterest.de/', source: 'SOCIAL', host: 'pinterest.de' },
  {
    referrer: 'android-app://com.linkedin.android/',
    source: 'SOCIAL',
    host: 'com.linkedin.android',
  },
  { referrer: 'https://mail.google.com/', source: 'NEWSLETTER', host: 'mail.google.com' },
  { referrer: 'https://outlook.live.com/', source: 'NEWSLETTER', host: 'outlook.live.com' },
  {
    query: 'utm_source=newsletter&utm_medium=email&utm_campaign=Morgenpost%2007-12',
    source: 'NEWSLETTER',
    host: null,
    campaign: 'morgenpost 07-12',
  },
  {
    referrer: 'https://mail.google.com/',
    query: 'utm_source=crm&utm_medium=e-mail&utm_campaign=reaktivierung',
    source: 'NEWSLETTER',
    host: 'mail.google.com',
    campaign: 'reaktivierung',
  },
  {
    referrer: 'https://l.facebook.com/',
    query: 'utm_source=facebook&utm_medium=social&utm_campaign=Launch',
    source: 'SOCIAL',
    host: 'l.facebook.com',
    campaign: 'launch',
  },
  { referrer: 'https://t.co/', query: 'utm_source=twitter', source: 'SOCIAL', host: 't.co' },
  {
    referrer: 'https://www.google.com/',
    query: 'utm_source=google&utm_medium=cpc&utm_campaign=winter-sale',
    source: 'CAMPAIGN',
    host: 'google.com',
    campaign: 'winter-sale',
  },
  {
    query: 'utm_source=partner-blog&utm_campaign=kooperation',
    source: 'CAMPAIGN',
    host: null,
    campaign: 'kooperation',
  },
  {
    referrer: 'https://www.heise.de/',
    query: 'utm_source=heise&utm_medium=referral',
    source: 'CAMPAIGN',
    host: 'heise.de',
  },
  { referrer: 'https://www.heise.de/', source: 'OTHER', host: 'heise.de' },
  { referrer: 'https://de.wikipedia.org/', source: 'OTHER', host: 'de.wikipedia.org' },
  // A referrer with a path and a query (a no-referrer-when-downgrade site): only its host is kept.
  { referrer: 'https://example.org/konto/42?token=geheim', source: 'OTHER', host: 'example.org' },
  { referrer: 'https://google.evil.example/', source: 'OTHER', host: 'google.evil.example' },
  { referrer: 'https://notgoogle.com/', source: 'OTHER', host: 'notgoogle.com' },
  { referrer: 'kein Link', source: 'OTHER', host: null },
  { referrer: 'https://m.zeitung.example/politik/artikel-1', source: 'INTERNAL', host: null },
  { referrer: 'SELF/artikel/serie-002', source: 'INTERNAL', host: null },
  { source: 'DIRECT', host: null },
  { referrer: '', query: 'ref=menu', source: 'DIRECT', host: null },
];

const viewStatsQuery = /* GraphQL */ `
  query SourceStats(
    $from: DateTime!
    $to: DateTime!
    $granularity: Granularity
    $slugs: [String!]
    $breakdown: ViewBreakdown
  ) {
    viewStats(
      from: $from
      to: $to
      granularity: $granularity
      slugs: $slugs
      breakdown: $breakdown
    ) {
      edges {
        node {
          article {
            slug
          }
          total
          reads
          averageEngagedSeconds
          breakdown {
            key
            views
            uniqueVisitors
          }
          points {
            start
            views
            reads
            engagementReports
            averageEngagedSeconds
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
  engagementReports: number;
  averageEngagedSeconds: number | null;
  breakdown: { key: string | null; views: number }[];
}

interface Series {
  article: { slug: string };
  total: number;
  reads: number;
  averageEngagedSeconds: number | null;
  breakdown: { key: string | null; views: number; uniqueVisitors: number }[];
  points: Point[];
}

describeEachDatabase('traffic sources, engaged reads, readers now', dialect => {
  let gateway: TestGateway;
  let token: string;

  async function start(env: Record<string, string>): Promise<void> {
    gateway = await startTestGateway(dialect, { env: { SITE_HOSTS: 'zeitung.example', ...env } });
    await gateway.importFiles(articleSeries(4));
    token = await createToken(gateway.db, 'report-job', ['analytics:read'], gateway.clock());
  }

  // The classification test has more hosts a day than the default bound (20) lets through.
  beforeEach(() => start({ SOURCE_MAX_KEYS_PER_DAY: '100' }));
  afterEach(() => gateway.close());

  async function beacon(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const response = await fetch(`${gateway.url}/views`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': browserAgent },
      body: JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  }

  const pageUrl = (slug: string, query?: string) =>
    `${gateway.url}/artikel/${slug}${query ? `?${query}` : ''}`;

  async function stats(variables: Record<string, unknown>): Promise<Series[]> {
    const { body } = await gateway.gql<{ viewStats: { edges: { node: Series }[] } }>(
      viewStatsQuery,
      variables,
      { authorization: `Bearer ${token}` },
    );
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!.viewStats.edges.map(edge => edge.node);
  }

  it('classifies real referrers and UTM sets, keeping only class, host and campaign', async () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    // One case an hour, so each hour's breakdown is one case's.
    const start = Date.parse('2026-11-28T00:00:00Z');
    for (const [index, item] of cases.entries()) {
      gateway.clock.set(new Date(start + index * 3_600_000 + 60_000));
      const answer = await beacon({
        slug: 'serie-001',
        visitorId: `leser-${index}`,
        referrer: item.referrer?.replace('SELF', gateway.url),
        pageUrl: pageUrl('serie-001', item.query),
      });
      expect(answer).toEqual({ counted: true, reason: null });
    }
    await gateway.flushViews();
    gateway.clock.set(new Date(start + cases.length * 3_600_000));
    const range = {
      from: new Date(start).toISOString(),
      to: new Date(start + cases.length * 3_600_000).toISOString(),
      granularity: 'HOUR',
      slugs: ['serie-001'],
    };
    const [bySource] = await stats({ ...range, breakdown: 'SOURCE' });
    const [byHost] = await stats({ ...range, breakdown: 'HOST' });
    const [byCampaign] = await stats({ ...range, breakdown: 'CAMPAIGN' });
    const seen = cases.map((_, index) => ({
      source: bySource.points[index].breakdown.map(item => item.key),
      host: byHost.points[index].breakdown.map(item => item.key),
      campaign: byCampaign.points[index].breakdown.map(item => item.key),
    }));
    expect(seen).toEqual(
      cases.map(item => ({
        source: [item.source],
        host: [item.host],
        campaign: [item.campaign ?? null],
      })),
    );
    // The series' breakdown sums its points: 12 SEARCH cases, one view each.
    expect(bySource.breakdown.find(item => item.key === 'SEARCH')).toEqual({
      key: 'SEARCH',
      views: cases.filter(item => item.source === 'SEARCH').length,
      uniqueVisitors: cases.filter(item => item.source === 'SEARCH').length,
    });
    // No path, query string or full URL of another site reached the database.
    const stored = (await gateway.db.query('SELECT host, campaign FROM article_source_hour')) as {
      host: string;
      campaign: string;
    }[];
    expect(stored.length).toBeGreaterThan(0);
    for (const row of stored) {
      expect(`${row.host} ${row.campaign}`).not.toMatch(/[/?:]|geheim|konto/);
    }
  });

  it('bounds hosts and campaigns per article and day, across a restart; the rest is (other)', async () => {
    await gateway.close();
    await start({ SOURCE_MAX_KEYS_PER_DAY: '3' });
    // A new process on the same database (its memory of the day's hosts gone), as after a deploy.
    const first = gateway;
    const restart = async () => {
      await first.gateway.stop();
      const next = await createGateway(first.config, { clock: first.clock });
      const port = await next.server.listen(0, '127.0.0.1');
      gateway = {
        ...first,
        url: `http://127.0.0.1:${port}`,
        gateway: next,
        db: next.db,
        gql: (query, variables, headers) =>
          fetch(`http://127.0.0.1:${port}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify({ query, variables }),
          }).then(async response => ({
            status: response.status,
            headers: response.headers,
            body: await response.json(),
            statements: 0,
          })) as never,
        flushViews: () => next.views.counter.flush(),
        close: async () => {
          await next.stop();
          await first.close();
        },
      };
    };
    gateway.clock.set('2026-11-28T10:00:00Z');
    const hosts = ['a.example', 'b.example', 'c.example', 'd.example', 'e.example'];
    for (const [index, host] of hosts.entries()) {
      await beacon({ slug: 'serie-002', visitorId: `v-${index}`, referrer: `https://${host}/` });
      // A flush between views: the bound holds across flushes (the day's keys are read once).
      if (index === 1) await gateway.flushViews();
      if (index === 2) await restart();
    }
    await beacon({ slug: 'serie-002', visitorId: 'v-9', referrer: 'https://a.example/' });
    // The next day has its own three.
    gateway.clock.set('2026-11-29T10:00:00Z');
    await beacon({ slug: 'serie-002', visitorId: 'w-1', referrer: 'https://e.example/' });
    await gateway.flushViews();
    const [series] = await stats({
      from: '2026-11-28T00:00:00Z',
      to: '2026-11-30T00:00:00Z',
      slugs: ['serie-002'],
      breakdown: 'HOST',
    });
    expect(series.points.map(point => point.breakdown)).toEqual([
      [
        { key: '(other)', views: 2 },
        { key: 'a.example', views: 2 },
        { key: 'b.example', views: 1 },
        { key: 'c.example', views: 1 },
      ],
      [{ key: 'e.example', views: 1 }],
    ]);
  });

  it('ranks mostRead by one source, for VIEWS and TRENDING, and refuses READS with a source', async () => {
    gateway.clock.set('2026-11-29T09:00:00Z');
    const plan: [string, string, number][] = [
      ['serie-001', 'https://www.google.com/', 2],
      ['serie-002', 'https://t.co/', 3],
      ['serie-003', 'https://www.bing.com/', 1],
      ['serie-003', '', 4],
    ];
    let visitor = 0;
    for (const [slug, referrer, count] of plan) {
      for (let n = 0; n < count; n += 1) {
        visitor += 1;
        await beacon({ slug, visitorId: `r-${visitor}`, referrer });
      }
    }
    await gateway.flushViews();
    gateway.clock.advance(2000);
    const search = await mostRead(gateway, { first: 5, filter: { source: 'SEARCH' } });
    expect(search.edges.map(edge => [edge.node.slug, edge.views])).toEqual([
      ['serie-001', 2],
      ['serie-003', 1],
    ]);
    const trending = await mostRead(gateway, {
      first: 5,
      metric: 'TRENDING',
      filter: { source: 'SOCIAL' },
    });
    expect(trending.edges.map(edge => edge.node.slug)).toEqual(['serie-002']);
    const direct = await mostRead(gateway, { first: 5, filter: { source: 'DIRECT' } });
    expect(direct.edges.map(edge => [edge.node.slug, edge.views])).toEqual([['serie-003', 4]]);
    const both = await gateway.gql(
      'query ($filter: MostReadFilter) { mostRead(metric: READS, filter: $filter) { edges { rank } } }',
      { filter: { source: 'SEARCH' } },
    );
    expect(both.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(both.body.errors?.[0]?.message).toContain('READS');
  });

  it('counts one engagement report per counted view: READS, average seconds, caps', async () => {
    gateway.clock.set('2026-11-29T09:10:00Z');
    const views: [string, string][] = [
      ['serie-001', 'ansicht-0001'],
      ['serie-001', 'ansicht-0002'],
      ['serie-001', 'ansicht-0003'],
      ['serie-002', 'ansicht-0004'],
    ];
    for (const [index, [slug, viewId]] of views.entries()) {
      expect(await beacon({ slug, visitorId: `e-${index}`, viewId })).toEqual({
        counted: true,
        reason: null,
      });
    }
    // A repeat within the dedupe period is not counted, so its view id cannot report.
    expect(await beacon({ slug: 'serie-001', visitorId: 'e-0', viewId: 'ansicht-0009' })).toEqual({
      counted: false,
      reason: 'REPEAT',
    });
    gateway.clock.advance(5 * 60_000);
    // Page leave: 45 s visible is a read (READ_MIN_SECONDS 30), 10 s with 80 % scrolled too
    // (READ_MIN_SCROLL 75), 12 s and 20 % is not; 5000 s counts as 1800.
    expect(await beacon({ viewId: 'ansicht-0001', visibleSeconds: 45, scrollPercent: 30 })).toEqual(
      { counted: true, reason: null, read: true },
    );
    expect(await beacon({ viewId: 'ansicht-0001', visibleSeconds: 60 })).toEqual({
      counted: false,
      reason: 'REPEAT',
      read: false,
    });
    const mutation = await gateway.gql<{
      recordEngagement: { counted: boolean; reason: string | null; read: boolean };
    }>(
      `mutation ReportEngagement($input: RecordEngagementInput!) {
        recordEngagement(input: $input) { counted reason read }
      }`,
      { input: { viewId: 'ansicht-0002', visibleSeconds: 10, scrollPercent: 80 } },
    );
    expect(mutation.body.data?.recordEngagement).toEqual({
      counted: true,
      reason: null,
      read: true,
    });
    expect(await beacon({ viewId: 'ansicht-0003', visibleSeconds: 12, scrollPercent: 20 })).toEqual(
      { counted: true, reason: null, read: false },
    );
    expect(
      await beacon({ viewId: 'ansicht-0004', visibleSeconds: 5000, scrollPercent: 400 }),
    ).toEqual({ counted: true, reason: null, read: true });
    expect(await beacon({ viewId: 'ansicht-0009', visibleSeconds: 50 })).toEqual({
      counted: false,
      reason: 'UNKNOWN_VIEW',
      read: false,
    });
    // Bad reports are refused with a stable code.
    for (const body of [
      { viewId: 'kurz', visibleSeconds: 5 },
      { viewId: 'ansicht-0005', visibleSeconds: -1 },
      { viewId: 'ansicht-0005', visibleSeconds: 1.5 },
      { visibleSeconds: 5 },
    ]) {
      const answer = (await beacon(body)) as { errors?: { extensions: { code: string } }[] };
      expect(answer.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    }
    await gateway.flushViews();
    gateway.clock.advance(2000);
    const [first, second] = await stats({
      from: '2026-11-29T00:00:00Z',
      to: '2026-11-30T00:00:00Z',
      slugs: ['serie-001', 'serie-002'],
    });
    expect(first.points[0]).toMatchObject({
      views: 3,
      reads: 2,
      engagementReports: 3,
      averageEngagedSeconds: 22.3,
    });
    expect(first.reads).toBe(2);
    expect(second.points[0]).toMatchObject({ reads: 1, averageEngagedSeconds: 1800 });
    const reads = await mostRead(gateway, { first: 5, metric: 'READS', window: 'LAST_24_HOURS' });
    expect(reads.edges.map(edge => [edge.node.slug, edge.score, edge.views])).toEqual([
      ['serie-001', 2, 3],
      ['serie-002', 1, 1],
    ]);
    // Three hours after its view, a report is no longer accepted (the memory keeps two hours).
    await beacon({ slug: 'serie-003', visitorId: 'e-7', viewId: 'ansicht-0007' });
    gateway.clock.advance(3 * 3_600_000);
    await gateway.flushViews();
    gateway.clock.advance(61_000);
    await gateway.flushViews();
    expect(await beacon({ viewId: 'ansicht-0007', visibleSeconds: 40 })).toMatchObject({
      counted: false,
      reason: 'UNKNOWN_VIEW',
    });
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics.match(/^gateway_engagement_reports_total\{.*$/gm)?.sort()).toEqual([
      'gateway_engagement_reports_total{result="counted"} 4',
      'gateway_engagement_reports_total{result="repeat"} 1',
      'gateway_engagement_reports_total{result="unknown"} 2',
    ]);
  });

  it('exports sources and engagement in the same columns', async () => {
    gateway.clock.set('2026-11-29T09:00:00Z');
    await beacon({
      slug: 'serie-003',
      visitorId: 'x-1',
      referrer: 'https://www.google.de/',
      viewId: 'export-0001',
    });
    await beacon({ slug: 'serie-003', visitorId: 'x-2', referrer: 'https://t.co/' });
    await beacon({ slug: 'serie-003', visitorId: 'x-3', referrer: 'https://www.google.com/' });
    await beacon({ viewId: 'export-0001', visibleSeconds: 40 });
    await gateway.flushViews();
    const get = async (query: string) => {
      const response = await fetch(`${gateway.url}/exports/views?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: response.status, text: await response.text() };
    };
    const range = 'from=2026-11-29&to=2026-11-30&slugs=serie-003';
    const plain = await get(range);
    expect(plain.text.trim().split('\n').slice(1)).toEqual([
      expect.stringMatching(/,serie-003,2026-11-29T00:00:00.000Z,3,3,1,1,40$/),
    ]);
    const bySource = await get(`${range}&breakdown=source&format=ndjson`);
    expect(
      bySource.text
        .trim()
        .split('\n')
        .map(line => JSON.parse(line) as Record<string, unknown>)
        .map(row => [row.source, row.views]),
    ).toEqual([
      ['SEARCH', 2],
      ['SOCIAL', 1],
    ]);
    const byHost = await get(`${range}&breakdown=host`);
    expect(byHost.text.trim().split('\n')[0]).toBe(
      'article_id,slug,bucket_start,host,views,unique_visitors',
    );
    expect(byHost.text.trim().split('\n').length).toBe(4);
    const bad = await get(`${range}&breakdown=browser`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('breakdown must be source, host or campaign');
  });

  it('counts readers now: distinct visitors in the last five minutes, cached 10 s, never stored', async () => {
    gateway.clock.set('2026-11-29T09:00:00Z');
    const readersQuery = /* GraphQL */ `
      query ReadersNow($first: Int) {
        liveArticles(first: $first) {
          window
          computedAt
          edges {
            rank
            readers
            node {
              slug
              readersNow
            }
          }
        }
      }
    `;
    type Live = {
      liveArticles: {
        window: string;
        computedAt: string;
        edges: { rank: number; readers: number; node: { slug: string; readersNow: number } }[];
      };
    };
    const live = async () => {
      const { body, headers } = await gateway.gql<Live>(readersQuery, { first: 5 });
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return { ...body.data!.liveArticles, cacheControl: headers.get('cache-control') };
    };
    for (const visitor of ['a', 'b', 'c']) {
      await beacon({ slug: 'serie-001', visitorId: visitor });
    }
    // A repeat is a reader still, and counted once; a bot is no reader.
    await beacon({ slug: 'serie-001', visitorId: 'a' });
    await beacon({ slug: 'serie-002', visitorId: 'a' });
    await fetch(`${gateway.url}/views`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': 'Googlebot/2.1' },
      body: JSON.stringify({ slug: 'serie-002', visitorId: 'bot' }),
    });
    const first = await live();
    expect(first.window).toBe('LAST_5_MINUTES');
    expect(first.cacheControl).toBe('max-age=10, public');
    expect(first.edges).toEqual([
      { rank: 1, readers: 3, node: { slug: 'serie-001', readersNow: 3 } },
      { rank: 2, readers: 1, node: { slug: 'serie-002', readersNow: 1 } },
    ]);
    // Within the 10 s the same count is served; after them the new reader is there.
    gateway.clock.advance(4000);
    await beacon({ slug: 'serie-002', visitorId: 'd' });
    expect((await live()).edges[1].readers).toBe(1);
    gateway.clock.advance(6000);
    const later = await live();
    expect(later.edges.map(edge => [edge.node.slug, edge.readers])).toEqual([
      ['serie-001', 3],
      ['serie-002', 2],
    ]);
    expect(later.computedAt).toBe('2026-11-29T09:00:10.000Z');
    // Five minutes after serie-001's readers, only d (at 09:00:04) is left.
    gateway.clock.set('2026-11-29T09:05:03Z');
    expect((await live()).edges.map(edge => [edge.node.slug, edge.readers])).toEqual([
      ['serie-002', 1],
    ]);
    gateway.clock.set('2026-11-29T09:10:00Z');
    expect((await live()).edges).toEqual([]);
    await gateway.flushViews();
    // Nothing of it is in the database: the tables hold views, sources and engagement only.
    const tables = (await gateway.db.query(
      dialect === 'postgres'
        ? 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()'
        : "SELECT name FROM sqlite_master WHERE type = 'table'",
    )) as { name: string }[];
    expect(tables.map(table => table.name).filter(name => /live_|readers/.test(name))).toEqual([]);
  });

  it('takes sources and view ids from the recordView mutation, and compacts them into days', async () => {
    gateway.clock.set('2026-08-01T10:00:00Z');
    const { body } = await gateway.gql<{ recordView: { counted: boolean } }>(
      `mutation RecordView($input: RecordViewInput!) { recordView(input: $input) { counted } }`,
      {
        input: {
          slug: 'serie-002',
          visitorId: 'm-1',
          referrer: 'https://www.ecosia.org/',
          pageUrl: pageUrl('serie-002', 'utm_campaign=Sommer'),
          viewId: 'mutation-0001',
        },
      },
      { 'user-agent': browserAgent },
    );
    expect(body.data?.recordView.counted).toBe(true);
    expect(await beacon({ viewId: 'mutation-0001', visibleSeconds: 90 })).toMatchObject({
      counted: true,
      read: true,
    });
    // A URL longer than 2,000 characters is read up to there: the view counts, with its host.
    const tooLong = await gateway.gql<{ recordView: { counted: boolean } }>(
      `mutation RecordView($input: RecordViewInput!) { recordView(input: $input) { counted } }`,
      {
        input: {
          slug: 'serie-002',
          visitorId: 'm-2',
          referrer: `https://x.example/${'a'.repeat(5000)}`,
        },
      },
      { 'user-agent': browserAgent },
    );
    expect(tooLong.body.data?.recordView.counted).toBe(true);
    await gateway.flushViews();
    // 120 days on, past HOURLY_RETENTION_DAYS (90): the hours are folded into their day.
    gateway.clock.set('2026-11-29T10:00:00Z');
    await gateway.flushViews();
    const hourly = (await gateway.db.query('SELECT COUNT(*) AS n FROM article_source_hour')) as {
      n: number;
    }[];
    expect(Number(hourly[0].n)).toBe(0);
    const [series] = await stats({
      from: '2026-08-01T00:00:00Z',
      to: '2026-08-02T00:00:00Z',
      slugs: ['serie-002'],
      breakdown: 'CAMPAIGN',
    });
    expect(series.points[0]).toMatchObject({
      views: 2,
      reads: 1,
      averageEngagedSeconds: 90,
      breakdown: [
        { key: 'sommer', views: 1 },
        { key: null, views: 1 },
      ],
    });
    const allTime = await mostRead(gateway, { first: 1, metric: 'READS', window: 'ALL_TIME' });
    expect(allTime.edges.map(edge => [edge.node.slug, edge.score])).toEqual([['serie-002', 1]]);
  });
});
