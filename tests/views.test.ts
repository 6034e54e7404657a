import { describeEachDatabase } from './helpers/databases';
import { articleFile, articleSeries } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { browserAgent, mostRead, recordViewMutation, view } from './helpers/views';
import { dialectOf } from '../src/db/dialect';
import { writeTransaction } from '../src/db/writeTransaction';
import { addViewCounts } from '../src/views/viewRollups';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

describeEachDatabase(
  'recordView',
  dialect => {
    let gateway: TestGateway;

    beforeEach(async () => {
      gateway = await startTestGateway(dialect, { env: { VIEW_RATE_PER_MINUTE: '5' } });
      await gateway.importFiles([
        ...articleSeries(8),
        articleFile({ slug: 'entwurf', status: 'draft', date: null }),
        articleFile({ slug: 'geplant', date: '2027-01-01T00:00:00Z' }),
      ]);
    });
    afterEach(() => gateway.close());

    async function viewsOf(slug: string, window = 'ALL_TIME'): Promise<number> {
      await gateway.flushViews();
      // The snapshot behind viewCount may be up to its TTL old: step past it.
      gateway.clock.advance(2000);
      const { body } = await gateway.gql<{ article: { viewCount: number } }>(
        `query ($slug: String!, $window: ViewWindow) { article(slug: $slug) { viewCount(window: $window) } }`,
        { slug, window },
      );
      return body.data!.article.viewCount;
    }

    it('counts a visitor once per article within 30 minutes and again after them', async () => {
      expect(await view(gateway, 'serie-001', 'leser-1')).toBe(true);
      gateway.clock.advance(29 * minute);
      expect(await view(gateway, 'serie-001', 'leser-1')).toBe(false);
      expect(await view(gateway, 'serie-002', 'leser-1')).toBe(true);
      expect(await view(gateway, 'serie-001', 'leser-2')).toBe(true);
      gateway.clock.advance(2 * minute);
      expect(await view(gateway, 'serie-001', 'leser-1')).toBe(true);
      expect(await viewsOf('serie-001')).toBe(3);
    });

    it('does not count bots, prefetches or prerenders, and answers them without an error', async () => {
      const bot = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
      expect(await view(gateway, 'serie-001', 'a', { 'user-agent': bot })).toBe(false);
      expect(await view(gateway, 'serie-001', 'b', { 'sec-purpose': 'prefetch' })).toBe(false);
      expect(await view(gateway, 'serie-001', 'c', { 'sec-purpose': 'prefetch;prerender' })).toBe(
        false,
      );
      expect(await view(gateway, 'serie-001', 'd', { purpose: 'prefetch' })).toBe(false);
      expect(await view(gateway, 'serie-001', 'e')).toBe(true);
      expect(await viewsOf('serie-001')).toBe(1);
    });

    it('does not count views of drafts or scheduled articles and does not reveal them', async () => {
      for (const slug of ['entwurf', 'geplant']) {
        const { body } = await gateway.gql(
          recordViewMutation,
          { input: { slug, visitorId: 'x' } },
          { 'user-agent': browserAgent },
        );
        expect(body.errors).toBeUndefined();
        expect(body.data).toEqual({
          recordView: { counted: false, reason: 'UNPUBLISHED', article: null },
        });
      }
    });

    it('runs no SQL for a view of a published article it has looked up in the last 30 seconds', async () => {
      const send = (visitorId: string) =>
        gateway.gql<{ recordView: { counted: boolean } }>(
          'mutation ($input: RecordViewInput!) { recordView(input: $input) { counted } }',
          { input: { slug: 'serie-004', visitorId } },
          { 'user-agent': browserAgent },
        );
      const first = await send('c-1');
      expect([first.body.data?.recordView.counted, first.statements]).toEqual([true, 1]);
      const second = await send('c-2');
      expect([second.body.data?.recordView.counted, second.statements]).toEqual([true, 0]);
      gateway.clock.advance(31_000);
      const later = await send('c-3');
      expect([later.body.data?.recordView.counted, later.statements]).toEqual([true, 1]);
      expect(await viewsOf('serie-004')).toBe(3);
    });

    it('counts a draft once it is published, at once, and stops within 30 s once it is not', async () => {
      expect(await view(gateway, 'entwurf', 'p-1')).toBe(false);
      await gateway.importFiles([articleFile({ slug: 'entwurf', date: '2026-11-01T08:00:00Z' })]);
      expect(await view(gateway, 'entwurf', 'p-2')).toBe(true);
      await gateway.importFiles([articleFile({ slug: 'entwurf', status: 'draft', date: null })]);
      gateway.clock.advance(31_000);
      expect(await view(gateway, 'entwurf', 'p-3')).toBe(false);
    });

    it('counts a scheduled article from its date on', async () => {
      expect(await view(gateway, 'geplant', 's-1')).toBe(false);
      gateway.clock.set(new Date('2027-01-01T00:00:01Z'));
      expect(await view(gateway, 'geplant', 's-2')).toBe(true);
    });

    it('stops counting a visitor over the per-visitor rate until the next minute', async () => {
      const results: boolean[] = [];
      for (let index = 0; index < 7; index += 1) {
        results.push(await view(gateway, `serie-00${index}`, 'eilig'));
      }
      expect(results).toEqual([true, true, true, true, true, false, false]);
      gateway.clock.advance(minute);
      expect(await view(gateway, 'serie-007', 'eilig')).toBe(true);
    });

    it('tells visitors without visitorId apart by address and user agent', async () => {
      expect(await view(gateway, 'serie-001', null)).toBe(true);
      expect(await view(gateway, 'serie-001', null)).toBe(false);
      expect(
        await view(gateway, 'serie-001', null, { 'user-agent': `${browserAgent} Edg/131` }),
      ).toBe(true);
      expect(await viewsOf('serie-001')).toBe(2);
    });

    it('accepts an article id, and refuses neither or both or an unknown article', async () => {
      const { body: found } = await gateway.gql<{ article: { id: string } }>(
        '{ article(slug: "serie-003") { id } }',
      );
      const id = found.data!.article.id;
      const byId = await gateway.gql(
        recordViewMutation,
        { input: { articleId: id, visitorId: 'v' } },
        { 'user-agent': browserAgent },
      );
      expect(byId.body.data).toEqual({
        recordView: { counted: true, reason: null, article: { slug: 'serie-003' } },
      });
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'BAD_USER_INPUT'],
        [{ slug: 'serie-003', articleId: id }, 'BAD_USER_INPUT'],
        [{ slug: 'gibt-es-nicht' }, 'NOT_FOUND'],
        [{ articleId: 'QXJ0aWNsZTo5OTk5' }, 'NOT_FOUND'],
        [{ slug: 'serie-003', visitorId: 'x'.repeat(201) }, 'BAD_USER_INPUT'],
      ];
      for (const [input, code] of cases) {
        const { body } = await gateway.gql(recordViewMutation, { input });
        expect(body.errors?.[0]?.extensions?.code).toBe(code);
      }
    });

    it('says why a view was not counted', async () => {
      const reasonOf = async (headers: Record<string, string>, visitorId: string) => {
        const { body } = await gateway.gql<{ recordView: { reason: string | null } }>(
          recordViewMutation,
          { input: { slug: 'serie-002', visitorId } },
          { 'user-agent': browserAgent, ...headers },
        );
        return body.data?.recordView.reason;
      };
      expect(
        await reasonOf({ 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' }, 'r1'),
      ).toBe('BOT');
      expect(await reasonOf({ 'sec-purpose': 'prefetch' }, 'r1')).toBe('PREFETCH');
      expect(await reasonOf({}, 'r1')).toBeNull();
      expect(await reasonOf({}, 'r1')).toBe('REPEAT');
    });

    it("writes buffered views only when the flusher runs, into the current hour's rollup", async () => {
      await view(gateway, 'serie-001', 'a');
      await view(gateway, 'serie-001', 'b');
      const before: { total: number }[] = await gateway.db.query(
        'SELECT COUNT(*) AS total FROM article_view_recent',
      );
      expect(Number(before[0].total)).toBe(0);
      expect(gateway.gateway.views.counter.pending).toBe(2);
      await gateway.flushViews();
      const rows: { views: number; unique_visitors: number }[] = await gateway.db.query(
        'SELECT views, unique_visitors FROM article_view_recent',
      );
      expect(rows.map(row => [Number(row.views), Number(row.unique_visitors)])).toEqual([[2, 2]]);
      expect(gateway.gateway.views.counter.pending).toBe(0);
    });

    it('keeps the counts of the current hour when the RecentViews migration is reverted', async () => {
      await view(gateway, 'serie-001', 'a');
      await view(gateway, 'serie-001', 'b');
      await gateway.flushViews();
      // The migrations after RecentViews first (each has its own down), then RecentViews.
      const last = async () =>
        (
          (await gateway.db.query('SELECT name FROM migrations ORDER BY id DESC')) as {
            name: string;
          }[]
        )[0].name;
      while ((await last()) !== 'RecentViews1764600000000') await gateway.db.undoLastMigration();
      await gateway.db.undoLastMigration();
      const rows: { views: number }[] = await gateway.db.query(
        'SELECT views FROM article_view_hour',
      );
      expect(rows.map(row => Number(row.views))).toEqual([2]);
      await gateway.db.runMigrations();
    });

    it('keeps the counts of a failed flush and writes them, merged with newer ones, next time', async () => {
      await view(gateway, 'serie-001', 'a');
      await view(gateway, 'serie-002', 'a');
      await gateway.db.query('ALTER TABLE article_view_recent RENAME TO article_view_recent_away');
      await expect(gateway.gateway.views.counter.flush()).rejects.toThrow();
      expect(gateway.gateway.views.counter.pending).toBe(2);
      await gateway.db.query('ALTER TABLE article_view_recent_away RENAME TO article_view_recent');
      await view(gateway, 'serie-001', 'b');
      await gateway.flushViews();
      const rows: { views: number; unique_visitors: number }[] = await gateway.db.query(
        'SELECT views, unique_visitors FROM article_view_recent ORDER BY article_id',
      );
      expect(rows.map(row => [Number(row.views), Number(row.unique_visitors)])).toEqual([
        [2, 2],
        [1, 1],
      ]);
      expect(gateway.gateway.views.counter.pending).toBe(0);
    });

    it('moves finished hours into the hourly rollup once an hour, changing no answer', async () => {
      gateway.clock.set('2026-11-29T10:15:00.000Z');
      await view(gateway, 'serie-001', 'a');
      await view(gateway, 'serie-002', 'a');
      await gateway.flushViews();
      gateway.clock.set('2026-11-29T10:45:00.000Z');
      await view(gateway, 'serie-001', 'b');
      await gateway.flushViews();
      const tables = async () => {
        const [recent]: { total: number }[] = await gateway.db.query(
          'SELECT COUNT(*) AS total FROM article_view_recent',
        );
        const [hour]: { total: number }[] = await gateway.db.query(
          'SELECT COUNT(*) AS total FROM article_view_hour',
        );
        return [Number(recent.total), Number(hour.total)];
      };
      expect(await tables()).toEqual([2, 0]);
      const ranking = async () =>
        (await mostRead(gateway, { window: 'LAST_24_HOURS' })).edges.map(edge => [
          edge.node.slug,
          edge.views,
        ]);
      const before = await ranking();
      expect(before).toEqual([
        ['serie-001', 2],
        ['serie-002', 1],
      ]);

      gateway.clock.set('2026-11-29T11:00:01.000Z');
      await view(gateway, 'serie-002', 'b');
      await gateway.flushViews();
      expect(await tables()).toEqual([1, 2]);
      gateway.clock.advance(2000);
      expect(await ranking()).toEqual([
        ['serie-001', 2],
        ['serie-002', 2],
      ]);
      const hours: { bucket_start: number; views: number }[] = await gateway.db.query(
        'SELECT bucket_start, views FROM article_view_hour ORDER BY article_id',
      );
      expect(hours.map(row => [Number(row.bucket_start), Number(row.views)])).toEqual([
        [Date.parse('2026-11-29T10:00:00.000Z'), 2],
        [Date.parse('2026-11-29T10:00:00.000Z'), 1],
      ]);
    });
  },
  { betterSqlite3: true },
);

describeEachDatabase(
  'view windows and compaction',
  dialect => {
    let gateway: TestGateway;

    beforeEach(async () => {
      gateway = await startTestGateway(dialect);
      await gateway.importFiles(articleSeries(6));
    });
    afterEach(() => gateway.close());

    it('adds counts in batches larger than one statement takes, to every table', async () => {
      const ids: { internal_id: number }[] = await gateway.db.query(
        'SELECT internal_id FROM article ORDER BY internal_id',
      );
      // 2,000 hours up to the test clock's hour: 83 days, inside the 90 days of hourly retention,
      // so the flusher's timer, which may run any moment, has nothing to compact into days.
      const start = gateway.clock().getTime() - 2000 * hour;
      // 6 articles x 2,000 hours: 12,000 rows, more than two statements' worth.
      const rows = ids.flatMap(({ internal_id }, a) =>
        Array.from({ length: 2000 }, (_, h) => ({
          articleId: Number(internal_id),
          bucketStart: start + h * hour,
          views: a + 1 + (h % 3),
          uniqueVisitors: 1,
        })),
      );
      // Through the write queue, as every writer: on SQLite's one connection a flush or compaction
      // would otherwise run its transaction between these statements.
      const sqlDialect = dialectOf(gateway.db);
      await writeTransaction(gateway.db, manager => addViewCounts(manager, sqlDialect, rows));
      await writeTransaction(gateway.db, manager =>
        addViewCounts(manager, sqlDialect, rows.slice(0, 10)),
      );
      const [hours]: { rows: number; views: number }[] = await gateway.db.query(
        'SELECT COUNT(*) AS rows, SUM(views) AS views FROM article_view_hour',
      );
      const sum = (list: { views: number }[]) => list.reduce((total, row) => total + row.views, 0);
      const expected = sum(rows) + sum(rows.slice(0, 10));
      expect([Number(hours.rows), Number(hours.views)]).toEqual([12_000, expected]);
      const totals: { views: number; unique_visitors: number }[] = await gateway.db.query(
        'SELECT views, unique_visitors FROM article_view_total ORDER BY article_id',
      );
      expect(totals.map(row => Number(row.unique_visitors))).toEqual([
        2010, 2000, 2000, 2000, 2000, 2000,
      ]);
      expect(totals.reduce((sum, row) => sum + Number(row.views), 0)).toBe(expected);
    });

    it('keeps a view 23h59m old in LAST_24_HOURS and drops it at 24h01m', async () => {
      gateway.clock.set('2026-11-29T12:00:00.000Z');
      await view(gateway, 'serie-001', 'leser');
      await gateway.flushViews();
      gateway.clock.set('2026-11-30T11:59:00.000Z');
      const inside = await mostRead(gateway, { window: 'LAST_24_HOURS' });
      expect(inside.isFallback).toBe(false);
      expect(inside.edges.map(edge => [edge.node.slug, edge.views, edge.node.viewCount])).toEqual([
        ['serie-001', 1, 1],
      ]);
      gateway.clock.set('2026-11-30T12:01:00.000Z');
      const outside = await mostRead(gateway, { window: 'LAST_24_HOURS' });
      expect(outside.isFallback).toBe(true);
      expect(outside.edges.every(edge => edge.views === 0)).toBe(true);
      const week = await mostRead(gateway, { window: 'LAST_7_DAYS' });
      expect(week.edges.map(edge => [edge.node.slug, edge.views])).toEqual([['serie-001', 1]]);
    });

    it('keeps every total when hours older than the retention are compacted into days', async () => {
      // From the test clock's now, forward only: the flusher's timer may fold and compact at any
      // moment, and a clock set back behind a flush it already ran would neither fold nor compact.
      const start = gateway.clock().getTime();
      const expected = new Map<string, number>();
      for (let index = 0; index < 30; index += 1) {
        gateway.clock.set(new Date(start + index * 37 * minute));
        const slug = `serie-00${index % 3}`;
        await view(gateway, slug, `leser-${index}`);
        expected.set(slug, (expected.get(slug) ?? 0) + 1);
      }
      await gateway.flushViews();
      const hoursBefore: { total: number }[] = await gateway.db.query(
        'SELECT COUNT(*) AS total FROM article_view_hour',
      );
      // The first flush moved every finished hour out of article_view_recent.
      expect(Number(hoursBefore[0].total)).toBeGreaterThan(3);

      gateway.clock.set(new Date(start + 92 * day));
      await gateway.flushViews();
      const hoursAfter: { total: number }[] = await gateway.db.query(
        'SELECT (SELECT COUNT(*) FROM article_view_hour) + (SELECT COUNT(*) FROM article_view_recent) AS total',
      );
      expect(Number(hoursAfter[0].total)).toBe(0);
      const days: { article_id: number; bucket_start: number; views: number }[] =
        await gateway.db.query('SELECT article_id, bucket_start, views FROM article_view_day');
      expect(days.every(row => Number(row.bucket_start) % day === 0)).toBe(true);
      expect(days.reduce((sum, row) => sum + Number(row.views), 0)).toBe(30);
      const ranking = await mostRead(gateway, { window: 'ALL_TIME', first: 10 });
      expect(new Map(ranking.edges.map(edge => [edge.node.slug, edge.views]))).toEqual(expected);
    });

    it('ranks a recent burst above an old one of the same size for TRENDING', async () => {
      gateway.clock.set('2026-11-26T12:00:00.000Z');
      for (let index = 0; index < 10; index += 1) await view(gateway, 'serie-001', `alt-${index}`);
      gateway.clock.set('2026-11-29T11:00:00.000Z');
      for (let index = 0; index < 10; index += 1) await view(gateway, 'serie-004', `neu-${index}`);
      await gateway.flushViews();
      gateway.clock.set('2026-11-29T12:00:00.000Z');
      const trending = await mostRead(gateway, { metric: 'TRENDING' });
      expect(trending.edges.map(edge => edge.node.slug)).toEqual(['serie-004', 'serie-001']);
      expect(trending.edges[0].score).toBeGreaterThan(trending.edges[1].score * 50);
      expect(trending.edges.map(edge => edge.views)).toEqual([10, 10]);
      // Same views: VIEWS breaks the tie by id, the older article first.
      const byViews = await mostRead(gateway, { metric: 'VIEWS' });
      expect(byViews.edges.map(edge => edge.node.slug)).toEqual(['serie-001', 'serie-004']);
    });
  },
  { betterSqlite3: true },
);
