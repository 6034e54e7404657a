import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sandboxOrigins } from '../../src/http/explorerPage';
import { describeWithBrowser, desktopContext, launchBrowser } from '../helpers/browser';
import { articleFile } from '../helpers/fixtures';
import { startTestGateway, type TestGateway } from '../helpers/testGateway';

// The README's article page operation (docs/queries/ArticlePage.graphql), trimmed, and a second tab.
const articlePage = [
  'query ArticlePage($slug: String!) {',
  '  article(slug: $slug) {',
  '    id',
  '    title',
  '    readingTime {',
  '      label',
  '    }',
  '  }',
  '}',
].join('\n');
const tagPage = 'query TagPage { tag(slug: "karriere") { id name } }';

/** What one page load asked the network for, and what the page reported. */
interface PageLoad {
  page: Page;
  requests: string[];
  failed: string[];
  errors: string[];
}

describeWithBrowser('the explorer in Chromium, offline', () => {
  let gateway: TestGateway;
  let queriesDir: string;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    queriesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'explorer-queries-'));
    fs.writeFileSync(path.join(queriesDir, 'ArticlePage.graphql'), articlePage);
    fs.writeFileSync(
      path.join(queriesDir, 'ArticlePage.variables.json'),
      '{ "slug": "remote-teams-fuehren-ohne-kontrolle" }',
    );
    fs.writeFileSync(path.join(queriesDir, 'TagPage.graphql'), tagPage);
    gateway = await startTestGateway('sqlite', { env: { EXPLORER_QUERIES_DIR: queriesDir } });
    await gateway.importFiles([
      articleFile({
        slug: 'remote-teams-fuehren-ohne-kontrolle',
        title: 'Remote-Teams führen ohne Kontrolle',
        tags: ['karriere'],
      }),
    ]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    fs.rmSync(queriesDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    // A fresh context each test: GraphiQL keeps its tabs in localStorage.
    context = await desktopContext(browser);
  });
  afterEach(() => context.close());

  async function open(
    pathname: string,
    explorer: 'graphiql' | 'sandbox' = 'graphiql',
    prepare?: (page: Page) => Promise<unknown>,
  ): Promise<PageLoad> {
    const page = await context.newPage();
    await prepare?.(page);
    const load: PageLoad = { page, requests: [], failed: [], errors: [] };
    page.on('request', request => load.requests.push(request.url()));
    page.on('requestfailed', request => load.failed.push(request.url()));
    page.on('pageerror', error => load.errors.push(error.message));
    page.on('console', message => {
      if (message.type() === 'error') load.errors.push(message.text());
    });
    // Browser code as text: the tests are compiled without the DOM's types.
    await page.addInitScript(`document.addEventListener('securitypolicyviolation', event => {
      console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI);
    });`);
    // Not until "load": a Sandbox script that never answers holds the load event back.
    await page.goto(`${gateway.url}${pathname}`, { waitUntil: 'domcontentloaded' });
    const shown = explorer === 'graphiql' ? ' .graphiql-container' : '';
    await page.waitForSelector(`html[data-explorer="${explorer}"]${shown}`, { timeout: 20_000 });
    return load;
  }

  /** Runs the active tab and returns the result pane's text once it shows data. */
  async function runActiveTab(page: Page): Promise<string> {
    await page.click('.graphiql-execute-button');
    const result = page.locator('.result-window');
    await result.getByText('"data"').waitFor({ timeout: 10_000 });
    return result.innerText();
  }

  const tabNames = async (page: Page) =>
    (await page.locator('.graphiql-tab').allInnerTexts()).map(text => text.trim());

  /** Failures the browser reports for the failed CDN attempt itself (net::ERR_NAME_NOT_RESOLVED). */
  const besidesCdnFailure = (errors: string[]) =>
    errors.filter(text => !/Failed to load resource: net::ERR_/.test(text));

  it('GET /graphql falls back to GraphiQL from the gateway, opens the example operations and runs one', async () => {
    const { page, requests, failed, errors } = await open('/graphql');
    expect(await tabNames(page)).toEqual(['ArticlePage', 'TagPage']);
    const text = await runActiveTab(page);
    expect(text).toContain('Remote-Teams führen ohne Kontrolle');
    expect(text).toContain('Minute');

    // Nothing left the machine but the one attempt to reach Apollo's CDN, which failed.
    const elsewhere = requests.filter(url => !url.startsWith(`${gateway.url}/`));
    expect(elsewhere).toHaveLength(1);
    expect(elsewhere[0].startsWith(`${sandboxOrigins.script}/`)).toBe(true);
    expect(failed).toEqual(elsewhere);
    expect(besidesCdnFailure(errors)).toEqual([]);
  });

  it('/graphql/explorer shows GraphiQL at once, with no request off this origin', async () => {
    const { page, requests, failed, errors } = await open('/graphql/explorer');
    expect(await tabNames(page)).toEqual(['ArticlePage', 'TagPage']);
    await page.locator('.graphiql-tab', { hasText: 'TagPage' }).click();
    // GraphiQL takes the operation name of the tab switched to a moment later (it would send the
    // first tab's name with the second tab's query); a person does not click that fast.
    await page.waitForTimeout(1000);
    expect(await runActiveTab(page)).toContain('"name": "Karriere"');
    // The schema's documentation and the settings dialog (which injects a <style> of its own).
    await page.click('[aria-label="Show Documentation Explorer"]');
    await page.locator('.graphiql-doc-explorer').getByText('Query').first().waitFor();
    await page.click('[aria-label="Open settings dialog"]');
    await page.getByRole('dialog').waitFor();
    expect(requests.filter(url => !url.startsWith(`${gateway.url}/`))).toEqual([]);
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('keeps Apollo Sandbox where its CDN answers, configured as Apollo configures it', async () => {
    // A stand-in for Sandbox's script, answered by the browser itself (the machine is offline).
    const stub = `window.EmbeddedSandbox = function (options) {
      window.sandboxOptions = options;
      document.querySelector(options.target).textContent = 'Sandbox';
    };`;
    const { page, requests } = await open('/graphql', 'sandbox', page =>
      page.route(`${sandboxOrigins.script}/**`, route =>
        route.fulfill({ contentType: 'text/javascript', body: stub }),
      ),
    );
    expect(await page.evaluate('window.sandboxOptions')).toEqual({
      target: '#explorer',
      initialEndpoint: `${gateway.url}/graphql`,
      initialState: { includeCookies: false },
      hideCookieToggle: false,
      endpointIsEditable: false,
      runtime: expect.stringMatching(/^@apollo\/server@5\./),
      runTelemetry: true,
      allowDynamicStyles: false,
    });
    expect(await page.locator('#explorer').innerText()).toBe('Sandbox');
    expect(requests.filter(url => url.includes('/graphql/explorer/assets/'))).toEqual([]);
  });

  it('shows GraphiQL after 4 s where the CDN does not answer at all', async () => {
    const started = Date.now();
    const { page } = await open('/graphql', 'graphiql', page =>
      // Never answered, as behind a firewall that drops the packets.
      page.route(`${sandboxOrigins.script}/**`, () => undefined),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
    expect(await tabNames(page)).toEqual(['ArticlePage', 'TagPage']);
  });
});
