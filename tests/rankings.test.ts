import { describeEachDatabase } from './helpers/databases';
import { articleFile, articleSeries } from './helpers/fixtures';
import { fleetAgent, postJson } from './helpers/fleetAgent';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { mostRead, recordViewMutation, type RankedEdge, view } from './helpers/views';

/**
 * Sends many recordViews at once, as many browsers would, over a fleet's 200 keep-alive
 * connections (fleetAgent); returns whether each counted.
 */
async function viewMany(
  gateway: TestGateway,
  views: { slug: string; visitorId: string }[],
): Promise<{ slug: string; counted: boolean }[]> {
  const agent = fleetAgent();
  try {
    return await Promise.all(
      views.map(async ({ slug, visitorId }) => {
        const text = await postJson(agent, `${gateway.url}/graphql`, {
          query: recordViewMutation,
          variables: { input: { slug, visitorId } },
        });
        const body = JSON.parse(text) as {
          data?: { recordView: { counted: boolean } };
          errors?: unknown[];
        };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
        return { slug, counted: body.data!.recordView.counted };
      }),
    );
  } finally {
    agent.destroy();
  }
}

describeEachDatabase('mostRead', dialect => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, { env: { VIEW_RATE_PER_MINUTE: '100000' } });
    await gateway.importFiles([
      ...articleSeries(45, { tagCount: 5 }),
      articleFile({ slug: 'english', locale: 'en', date: '2026-11-20T08:00:00Z', tags: ['neu'] }),
      articleFile({ slug: 'entwurf', status: 'draft', date: null }),
    ]);
    // Article i gets i + 1 views (serie-044 the most), so the ranking is known in advance.
    const views = [];
    for (let index = 0; index < 45; index += 1) {
      for (let visitor = 0; visitor <= index; visitor += 1) {
        views.push({ slug: `serie-${String(index).padStart(3, '0')}`, visitorId: `v${visitor}` });
      }
    }
    await viewMany(gateway, views);
    await gateway.flushViews();
  });
  afterAll(() => gateway.close());

  it('pages a ranking of 45 articles with first 10: each exactly once, ranks 1 to 45', async () => {
    const seen: RankedEdge[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await mostRead(gateway, { first: 10, after, window: 'LAST_24_HOURS' });
      seen.push(...page.edges);
      pages += 1;
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(5);
    expect(seen.map(edge => edge.rank)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    expect(new Set(seen.map(edge => edge.node.slug)).size).toBe(45);
    expect(seen[0]).toMatchObject({ node: { slug: 'serie-044', viewCount: 45 }, views: 45 });
    expect(seen.every(edge => edge.views === edge.node.viewCount)).toBe(true);
    expect(
      seen.every(edge => edge.score === edge.views && edge.uniqueVisitors === edge.views),
    ).toBe(true);
  });

  it('keeps paging the snapshot of the first page while new views arrive', async () => {
    const first = await mostRead(gateway, { first: 10, window: 'LAST_7_DAYS' });
    // serie-000 jumps from last to first place...
    await viewMany(
      gateway,
      Array.from({ length: 100 }, (_, i) => ({ slug: 'serie-000', visitorId: `neu-${i}` })),
    );
    await gateway.flushViews();
    gateway.clock.advance(5000);
    // ... but the second page still comes from the ranking the first was read from.
    const second = await mostRead(gateway, {
      first: 10,
      window: 'LAST_7_DAYS',
      after: first.pageInfo.endCursor,
    });
    expect(second.computedAt).toBe(first.computedAt);
    expect(second.edges.map(edge => edge.rank)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 11),
    );
    expect(second.edges[0].node.slug).toBe('serie-034');
    // A fresh first page shows the new order and a later computedAt.
    const fresh = await mostRead(gateway, { first: 1, window: 'LAST_7_DAYS' });
    expect(fresh.edges[0].node.slug).toBe('serie-000');
    expect(Date.parse(fresh.computedAt)).toBeGreaterThan(Date.parse(first.computedAt));
  });

  it('filters by tags, author, locale, published after and excluded slugs', async () => {
    const byTag = await mostRead(gateway, {
      first: 100,
      window: 'ALL_TIME',
      filter: { tagSlugs: ['thema-0'] },
    });
    // articleSeries gives article i the tags thema-(i % 5) and thema-((i + 1) % 5).
    expect(byTag.edges.length).toBe(18);
    expect(byTag.edges.map(edge => edge.rank)).toEqual(byTag.edges.map((_, i) => i + 1));
    const excluded = await mostRead(gateway, {
      first: 3,
      window: 'ALL_TIME',
      filter: { excludeSlugs: ['serie-000', 'serie-044'] },
    });
    expect(excluded.edges.map(edge => edge.node.slug)).toEqual([
      'serie-043',
      'serie-042',
      'serie-041',
    ]);
    const recent = await mostRead(gateway, {
      first: 100,
      window: 'ALL_TIME',
      filter: { publishedAfter: '2026-02-09T12:00:00Z' },
    });
    expect(recent.edges.map(edge => edge.node.slug).sort()).toEqual(
      ['serie-040', 'serie-041', 'serie-042', 'serie-043', 'serie-044'].sort(),
    );
    const byAuthor = await mostRead(gateway, {
      first: 100,
      window: 'ALL_TIME',
      filter: { authorSlug: 'autor-1' },
    });
    expect(byAuthor.edges.length).toBeGreaterThan(5);
    const english = await mostRead(gateway, { window: 'ALL_TIME', filter: { locale: 'en' } });
    // The English article has no views: the newest articles that match stand in.
    expect(english.isFallback).toBe(true);
    expect(english.edges.map(edge => [edge.node.slug, edge.views, edge.rank])).toEqual([
      ['english', 0, 1],
    ]);
  });

  it('refuses a cursor of another ranking and a first outside 1 to 100', async () => {
    const page = await mostRead(gateway, { first: 2, window: 'LAST_7_DAYS' });
    for (const variables of [
      { window: 'ALL_TIME', after: page.pageInfo.endCursor },
      { after: 'bm9uc2Vuc2U' },
      { first: 0 },
      { first: 101 },
    ]) {
      const { body } = await gateway.gql(
        'query ($first: Int, $after: String, $window: ViewWindow) { mostRead(first: $first, after: $after, window: $window) { isFallback } }',
        variables,
      );
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('defaults to five articles of the last seven days by views', async () => {
    const page = await mostRead(gateway);
    expect(page).toMatchObject({ window: 'LAST_7_DAYS', metric: 'VIEWS', isFallback: false });
    expect(page.edges).toHaveLength(5);
  });
});

describeEachDatabase('recordView under load', dialect => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    await gateway.importFiles(articleSeries(50));
  });
  afterAll(() => gateway.close());

  it('counts 5,000 concurrent recordViews across 50 articles and 500 visitors exactly', async () => {
    // Visitor v reads articles (v * 7 + k * 13) % 50 for k = 0..9; visitors 0..99 read each of
    // their articles twice, so 1,000 of the 5,000 views are repeats within the dedupe period.
    const views: { slug: string; visitorId: string }[] = [];
    for (let visitor = 0; visitor < 500; visitor += 1) {
      const reads = visitor < 100 ? 5 : 10;
      for (let k = 0; k < reads; k += 1) {
        const slug = `serie-${String((visitor * 7 + k * 13) % 50).padStart(3, '0')}`;
        views.push({ slug, visitorId: `besucher-${visitor}` });
        if (visitor < 100) views.push({ slug, visitorId: `besucher-${visitor}` });
      }
    }
    expect(views).toHaveLength(5000);
    // All 5,000 are issued at once, over the fleet's 200 connections (viewMany).
    const results = await viewMany(gateway, views);
    const expected = new Map<string, number>();
    for (const result of results) {
      if (result.counted) expected.set(result.slug, (expected.get(result.slug) ?? 0) + 1);
    }
    expect(results.filter(result => result.counted)).toHaveLength(4500);
    await gateway.flushViews();
    const rows: { slug: string; views: number }[] = await gateway.db.query(
      'SELECT a.slug, t.views FROM article_view_total t JOIN article a ON a.internal_id = t.article_id',
    );
    expect(new Map(rows.map(row => [row.slug, Number(row.views)]))).toEqual(expected);
    const hours: { views: number }[] = await gateway.db.query(
      'SELECT SUM(views) AS views FROM (SELECT views FROM article_view_hour UNION ALL SELECT views FROM article_view_recent) v',
    );
    expect(Number(hours[0].views)).toBe(4500);
    gateway.clock.advance(2000);
    const ranking = await mostRead(gateway, { first: 50, window: 'LAST_24_HOURS' });
    expect(new Map(ranking.edges.map(edge => [edge.node.slug, edge.views]))).toEqual(expected);
  });
});

describeEachDatabase('demo-sized fallback', dialect => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    await gateway.importFiles(articleSeries(3));
  });
  afterAll(() => gateway.close());

  it('returns the newest public articles as a fallback where the window has no views', async () => {
    const page = await mostRead(gateway, { first: 2 });
    expect(page.isFallback).toBe(true);
    expect(page.edges.map(edge => [edge.node.slug, edge.rank, edge.views])).toEqual([
      ['serie-002', 1, 0],
      ['serie-001', 2, 0],
    ]);
    await view(gateway, 'serie-000', 'a');
    await gateway.flushViews();
    gateway.clock.advance(2000);
    const counted = await mostRead(gateway, { first: 2 });
    expect(counted.isFallback).toBe(false);
    expect(counted.edges.map(edge => edge.node.slug)).toEqual(['serie-000']);
  });
});
