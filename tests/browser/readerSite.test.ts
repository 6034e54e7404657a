import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  describeWithBrowser,
  desktopContext,
  launchBrowser,
  openUnattachedPage,
} from '../helpers/browser';
import { articleSeries } from '../helpers/fixtures';
import { startTestGateway, type TestGateway } from '../helpers/testGateway';

/**
 * Waits until a page expression is true, polled from the test with evaluate: Playwright's
 * waitForFunction polls by evaluating a string inside the page, which the site's
 * Content-Security-Policy (script-src 'self') refuses whenever the first check is false.
 */
async function until(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${expression}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

const root = path.resolve(__dirname, '../..');

/** A request the gateway answered, as its HTTP server saw it. */
interface Seen {
  method: string;
  path: string;
  /** Sec-Purpose: "prefetch;prerender" on what a prerendered page loads. */
  purpose: string | null;
  /** A POST /views body: a view's, or (on pagehide) an engagement report's. */
  body: string;
}

const articleQuery = /* GraphQL */ `
  query SiteArticle($slug: String!) {
    article(slug: $slug) {
      id
      title
      locale
      viewCount
      readingTime {
        label
      }
      mainImage {
        alt
      }
      headings {
        level
      }
      authors {
        id
        name
      }
      tags {
        id
        name
      }
      related {
        id
        title
      }
    }
  }
`;

const oldestQuery = /* GraphQL */ `
  query OldestArticle {
    articles(first: 1, orderBy: PUBLISHED_AT_ASC) {
      totalCount
      edges {
        node {
          id
          slug
        }
      }
    }
  }
`;

interface SiteArticle {
  id: string;
  title: string;
  locale: string;
  viewCount: number;
  readingTime: { label: string };
  mainImage: { alt: string } | null;
  headings: { level: number }[];
  authors: { id: string; name: string }[];
  tags: { id: string; name: string }[];
  related: { id: string; title: string }[];
}

describeWithBrowser('the reader site', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let mediaDir: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    // The demo media, and beside them the page a prerender starts from (see the prerender case).
    mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'content-gateway-site-media-'));
    fs.cpSync(path.join(root, 'content/demo/media'), mediaDir, { recursive: true });
    gateway = await startTestGateway('sqlite', {
      env: {
        DEMO_CONTENT: 'true',
        CONTENT_DIR: path.join(root, 'content/demo'),
        MEDIA_DIR: mediaDir,
      },
    });
    // Every answered request, as the server saw it: which beacons came, and when.
    gateway.server.httpServer.on('request', (req: http.IncomingMessage, res) => {
      let body = '';
      // Beside the route's own listener (registered first): both get every chunk.
      if ((req.url ?? '').startsWith('/views')) req.on('data', (chunk: Buffer) => (body += chunk));
      res.once('finish', () => {
        const purpose = req.headers['sec-purpose'];
        seen.push({
          method: req.method ?? '',
          path: (req.url ?? '').split('?')[0],
          purpose: typeof purpose === 'string' ? purpose : null,
          body,
        });
      });
    });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    fs.rmSync(mediaDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    context = await desktopContext(browser);
    page = await context.newPage();
  });
  afterEach(() => context.close());

  async function article(slug: string): Promise<SiteArticle> {
    const { body } = await gateway.gql<{ article: SiteArticle }>(articleQuery, { slug });
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!.article;
  }

  /** Article.viewCount (all time) after the flusher has written what the buffer holds. */
  async function viewCount(slug: string): Promise<number> {
    await gateway.flushViews();
    // Past RANKING_SNAPSHOT_TTL_SECONDS, so the count is read again.
    gateway.clock.advance(2000);
    return (await article(slug)).viewCount;
  }

  // The view beacons; engagement reports (sent on pagehide) apart.
  const beacons = () =>
    seen.filter(
      request =>
        request.method === 'POST' &&
        request.path === '/views' &&
        !request.body.includes('visibleSeconds'),
    );
  const engagementReports = () =>
    seen
      .filter(request => request.path === '/views' && request.body.includes('visibleSeconds'))
      .map(request => JSON.parse(request.body) as Record<string, unknown>);

  /** Waits until the server has answered `count` beacons in all. */
  async function beaconsAnswered(count: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (beacons().length < count) {
      if (Date.now() > deadline) throw new Error(`${beacons().length} beacons, expected ${count}`);
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }

  /** Opens a site page and waits until its content has replaced the placeholders. */
  async function open(sitePath: string): Promise<void> {
    await page.goto(`${gateway.url}${sitePath}`);
    await page.waitForSelector('main:not([aria-busy]) h1');
  }

  it('renders the article page with its body, authors, tags, related articles and the sidebar cards', async () => {
    const slug = 'fuehren-ohne-titel';
    const expected = await article(slug);
    const errors: string[] = [];
    page.on('pageerror', error => errors.push(error.message));
    await open(`/artikel/${slug}`);

    expect(await page.title()).toBe(`${expected.title} – Berufsbild`);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    const main = page.locator('main article');
    expect(await main.locator('h1').textContent()).toBe(expected.title);
    expect(await main.locator('header time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await main.locator('header time').textContent()).toMatch(/^\d\d\.\d\d\.\d{4}$/);
    expect(await main.locator('.article__reading').textContent()).toBe(expected.readingTime.label);
    expect(expected.readingTime.label).toMatch(/^\d+ Minuten? Lesezeit$/);
    const hero = main.locator('.article__hero img');
    expect(await hero.getAttribute('alt')).toBe(expected.mainImage!.alt);
    // Page functions are strings here: the project's TypeScript has no DOM types.
    await until(
      page,
      "(image => image !== null && image.complete && image.naturalWidth > 0)(document.querySelector('.article__hero img'))",
    );
    const subHeadings = expected.headings.filter(heading => heading.level === 2).length;
    expect(subHeadings).toBeGreaterThan(0);
    expect(await main.locator('.article__body h2').count()).toBe(subHeadings);
    expect(await main.locator('a[rel=author]').allTextContents()).toEqual(
      expected.authors.map(author => author.name),
    );
    expect(await main.locator('.tag-list a').allTextContents()).toEqual(
      expected.tags.map(tag => tag.name),
    );
    expect(await page.locator('.related .card__title').allTextContents()).toEqual(
      expected.related.map(item => item.title),
    );

    const sidebar = page.locator('aside');
    expect(await sidebar.locator('h2').textContent()).toBe('Meistgelesene Artikel');
    const cards = sidebar.locator('.card');
    expect(await cards.count()).toBe(4);
    for (const card of await cards.all()) {
      expect(await card.locator('time').textContent()).toMatch(/\d{4}$/);
      expect(await card.locator('.card__reading').textContent()).toMatch(/Lesezeit|min read/);
      expect(await card.locator('h3 a').getAttribute('href')).toMatch(/^\/artikel\/[a-z0-9-]+$/);
      expect(await card.locator('img').getAttribute('alt')).toBeTruthy();
    }
    // The sidebar leaves out the article it stands beside.
    expect(await sidebar.locator(`a[href="/artikel/${slug}"]`).count()).toBe(0);
    // h1, then h2 (body sections, related, sidebar), then h3: no level skipped.
    const levels = await page.$$eval('h1, h2, h3, h4', nodes => nodes.map(node => node.tagName));
    expect(levels[0]).toBe('H1');
    expect(levels.filter(level => level === 'H1')).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('paints the page without a layout shift worth the name (CLS under 0.1)', async () => {
    await open('/artikel/die-erste-fuehrungsrolle');
    await page.waitForLoadState('load');
    const shift = await page.evaluate<number>(`new Promise(resolve => {
      let total = 0;
      new PerformanceObserver(list => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
      }).observe({ type: 'layout-shift', buffered: true });
      setTimeout(() => resolve(total), 300);
    })`);
    // 0.1 is "good" for Cumulative Layout Shift (web.dev/articles/cls).
    expect(shift).toBeLessThan(0.1);
  });

  it('labels an English article in English', async () => {
    await open('/artikel/learning-to-code-at-forty');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('aside h2').textContent()).toBe('Most read');
    expect(await page.locator('.article__reading').textContent()).toMatch(/^\d+ min read$/);
    expect(await page.locator('.article__authors').textContent()).toMatch(/^By /);
  });

  it('links the versions of a translated article with hreflang, in the head and in its header', async () => {
    await open('/artikel/asynchron-als-standard');
    const alternates = await page.$$eval('head link[rel="alternate"][hreflang]', links =>
      links.map(link => [link.getAttribute('hreflang'), link.getAttribute('href')]),
    );
    expect(alternates).toEqual([
      ['de', `${gateway.url}/artikel/asynchron-als-standard`],
      ['en', `${gateway.url}/artikel/async-by-default`],
    ]);
    const other = page.locator('.article__translations a');
    expect(await page.locator('.article__translations').textContent()).toBe(
      'Andere Sprachen: English',
    );
    expect(await other.getAttribute('hreflang')).toBe('en');
    await Promise.all([page.waitForURL('**/artikel/async-by-default'), other.click()]);
    await page.waitForSelector('main:not([aria-busy]) h1');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('.article__translations').textContent()).toBe(
      'Other languages: Deutsch',
    );
    // An article without translations has neither.
    await open('/artikel/learning-to-code-at-forty');
    expect(await page.locator('head link[rel="alternate"][hreflang]').count()).toBe(0);
    expect(await page.locator('.article__translations').count()).toBe(0);
  });

  it('counts one view for reading the page, and none for a reload within the dedupe period', async () => {
    const slug = 'fokuszeit-im-kalender';
    const before = await viewCount(slug);
    const sent = beacons().length;
    await open(`/artikel/${slug}`);
    await beaconsAnswered(sent + 1);
    expect(await viewCount(slug)).toBe(before + 1);
    // Once per page load: the page's own listeners hear the events again and send nothing more.
    await page.evaluate(
      "document.dispatchEvent(new Event('visibilitychange')); document.dispatchEvent(new Event('prerenderingchange'))",
    );

    await page.reload();
    await page.waitForSelector('main:not([aria-busy]) h1');
    await beaconsAnswered(sent + 2);
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(beacons()).toHaveLength(sent + 2);
    expect(await viewCount(slug)).toBe(before + 1);
  });

  it('reports the engagement of its view once on pagehide: seconds visible, deepest scroll', async () => {
    const slug = 'startup-oder-konzern';
    const reports = engagementReports().length;
    const sent = beacons().length;
    await page.goto(
      `${gateway.url}/artikel/${slug}?utm_source=newsletter&utm_medium=email&utm_campaign=Test`,
    );
    await page.waitForSelector('main:not([aria-busy]) h1');
    await beaconsAnswered(sent + 1);
    const view = JSON.parse(beacons()[sent].body) as { viewId: string; pageUrl: string };
    expect(view.viewId).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(view.pageUrl).toContain('utm_campaign=Test');
    await page.mouse.wheel(0, 100_000);
    // Polled from here with evaluate: waitForFunction's own polling evaluates a string, which the
    // site's Content-Security-Policy (script-src 'self') refuses when the first check is false.
    await until(page, 'window.scrollY > 0');
    // Leaving the page (another page in the same tab) fires pagehide.
    await page.goto(`${gateway.url}/`);
    const deadline = Date.now() + 10_000;
    while (engagementReports().length === reports) {
      if (Date.now() > deadline) throw new Error('no engagement report after pagehide');
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    const [report] = engagementReports().slice(reports);
    expect(report.viewId).toBe(view.viewId);
    expect(Number.isInteger(report.visibleSeconds)).toBe(true);
    expect(report.scrollPercent).toBe(100);
    await gateway.flushViews();
    const rows = (await gateway.db.query(
      `SELECT SUM(e.reports) AS reports, SUM(e.reads) AS reads FROM article_engagement_hour e
       JOIN article a ON a.internal_id = e.article_id WHERE a.slug = ?`,
      [slug],
    )) as { reports: number; reads: number }[];
    // Scrolled to the end: a read (READ_MIN_SCROLL), whatever the seconds.
    expect(rows[0]).toEqual({ reports: 1, reads: 1 });
    const campaigns = (await gateway.db.query(
      `SELECT s.source, s.campaign FROM article_source_hour s
       JOIN article a ON a.internal_id = s.article_id WHERE a.slug = ? AND s.campaign <> ''`,
      [slug],
    )) as { source: string; campaign: string }[];
    expect(campaigns).toEqual([{ source: 'NEWSLETTER', campaign: 'test' }]);
  });

  it('counts no view while the article is prerendered, and one once it is shown', async () => {
    const slug = 'bildungsurlaub-nutzen';
    const articlePath = `/artikel/${slug}`;
    // Prerendering needs a page of the same origin that asks for it: served from MEDIA_DIR. It
    // follows the link once the test writes go.txt, and Chromium then shows the prerendered page.
    fs.writeFileSync(
      path.join(mediaDir, 'prerender-start.html'),
      `<!doctype html><html lang="en"><title>Prerender start</title>
<script type="speculationrules">{"prerender":[{"source":"list","urls":["${articlePath}"]}]}</script>
<script>
  (async () => {
    while (!(await fetch('/media/go.txt', { cache: 'no-store' })).ok)
      await new Promise(resolve => setTimeout(resolve, 100));
    location.href = '${articlePath}';
  })();
</script>`,
    );
    const before = await viewCount(slug);
    const sent = beacons().length;
    const start = seen.length;
    const prerendered = () => seen.slice(start).filter(request => request.purpose !== null);
    const reader = await openUnattachedPage(`${gateway.url}/media/prerender-start.html`);
    try {
      // The prerendered page has loaded its data: its GraphQL request carried Sec-Purpose.
      const deadline = Date.now() + 15_000;
      while (!prerendered().some(request => request.path === '/graphql')) {
        if (Date.now() > deadline)
          throw new Error(`no prerender: ${JSON.stringify(seen.slice(start))}`);
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      expect(prerendered().find(request => request.path === articlePath)?.purpose).toMatch(
        /prerender/,
      );
      // A page that beaconed while prerendered would have done it by now.
      await new Promise(resolve => setTimeout(resolve, 1000));
      expect(beacons()).toHaveLength(sent);
      expect(await viewCount(slug)).toBe(before);

      fs.writeFileSync(path.join(mediaDir, 'go.txt'), 'go');
      await beaconsAnswered(sent + 1);
      expect(beacons()[sent].purpose).toBeNull();
      // The page shown is the prerendered one: its document was loaded once, as a prerender.
      expect(seen.slice(start).filter(request => request.path === articlePath)).toHaveLength(1);
      expect(await viewCount(slug)).toBe(before + 1);
    } finally {
      await reader.close();
    }
  });

  it('pages the listing with "Ältere Artikel" until the last article', async () => {
    const { body } = await gateway.gql<{
      articles: { totalCount: number; edges: { node: { slug: string } }[] };
    }>(oldestQuery);
    const oldest = body.data!.articles;
    await open('/');
    expect(await page.title()).toBe('Berufsbild: Neueste Artikel – Berufsbild');
    const slugs: string[] = [];
    for (let pages = 1; ; pages += 1) {
      const hrefs = await page
        .locator('main .list .card__title a')
        .evaluateAll(links => links.map(link => link.getAttribute('href') ?? ''));
      slugs.push(...hrefs.map(href => href.replace('/artikel/', '')));
      const older = page.locator('a[rel=next]');
      if ((await older.count()) === 0) break;
      expect(await older.textContent()).toContain('Ältere Artikel');
      expect(await older.getAttribute('href')).toMatch(/^\/\?after=/);
      expect(pages).toBeLessThan(10);
      await older.click();
      await page.waitForURL(/\?after=/);
      await page.waitForSelector('main:not([aria-busy]) h1');
    }
    expect(slugs).toHaveLength(oldest.totalCount);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(slugs[slugs.length - 1]).toBe(oldest.edges[0].node.slug);
  });

  it('shows a tag page and an author page with their articles', async () => {
    await open('/thema/karriere');
    expect(await page.locator('main h1').textContent()).toBe('Karriere');
    expect(await page.title()).toBe('Thema: Karriere – Berufsbild');
    expect(await page.locator('main .list .card').count()).toBeGreaterThan(0);
    await page.locator('main .list .card__title a').first().click();
    await page.waitForSelector('main:not([aria-busy]) article h1');
    await page.locator('a[rel=author]').first().click();
    await page.waitForURL(/\/autor\//);
    await page.waitForSelector('main:not([aria-busy]) h1');
    expect(await page.locator('main .list__portrait').getAttribute('alt')).toBeTruthy();
    expect(await page.locator('main .list__intro').textContent()).toMatch(/\d+ Artikel$/);
    expect(await page.locator('main .list .card').count()).toBeGreaterThan(0);
  });

  it('says so when an article does not exist', async () => {
    await open('/artikel/gibt-es-nicht');
    expect(await page.locator('main h1').textContent()).toBe('Nicht gefunden');
    expect(await page.locator('aside .card').count()).toBeGreaterThan(0);
  });
});

describeWithBrowser('a page on another origin calling /graphql', () => {
  let browser: Browser;
  let pageServer: http.Server;
  let pageOrigin = '';
  let gatewayUrl = '';

  // A front end's page on its own port: it asks the gateway (the ?api= origin) for an article
  // with fetch, as Apollo Client does (POST, application/json: a CORS preflight first), and
  // writes what came back, or the error, into its body.
  beforeAll(async () => {
    pageServer = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="en"><title>Front end</title><body><script type="module">
        const api = new URL(location.href).searchParams.get('api');
        try {
          const response = await fetch(api + '/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: 'query FrontEnd { article(slug: "serie-000") { id title } }' }),
          });
          document.body.dataset.result = JSON.stringify((await response.json()).data);
        } catch (error) {
          document.body.dataset.result = 'failed: ' + error.message;
        }
      </script></body></html>`);
    });
    await new Promise<void>(resolve => pageServer.listen(0, '127.0.0.1', resolve));
    pageOrigin = `http://127.0.0.1:${(pageServer.address() as { port: number }).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise(resolve => pageServer.close(resolve));
  });

  async function resultOfThePage(env: Record<string, string>): Promise<string> {
    const gateway = await startTestGateway('sqlite', { env });
    gatewayUrl = gateway.url;
    const context = await desktopContext(browser);
    try {
      await gateway.importFiles(articleSeries(1));
      const page = await context.newPage();
      await page.goto(`${pageOrigin}/?api=${encodeURIComponent(gatewayUrl)}`);
      await page.waitForSelector('body[data-result]', { state: 'attached' });
      return (await page.getAttribute('body', 'data-result')) ?? '';
    } finally {
      await context.close();
      await gateway.close();
    }
  }

  it('gets its answer where CORS_ORIGINS lists the origin of the page', async () => {
    const result = await resultOfThePage({ CORS_ORIGINS: pageOrigin });
    expect(JSON.parse(result)).toEqual({
      article: { id: expect.any(String), title: 'Serie 0' },
    });
  });

  it('is refused by the browser where CORS_ORIGINS is not set (production allows no origin)', async () => {
    const result = await resultOfThePage({ NODE_ENV: 'production' });
    expect(result).toBe('failed: Failed to fetch');
  });

  it('is refused by the browser where CORS_ORIGINS lists only other origins', async () => {
    const result = await resultOfThePage({ CORS_ORIGINS: 'https://app.example.com' });
    expect(result).toBe('failed: Failed to fetch');
  });
});
