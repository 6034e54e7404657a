import { isbot, isbotPatterns, list } from 'isbot';
import { describeEachDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { recordViewMutation } from './helpers/views';
import { type AgentCategory, agentTable } from './readerAgents.table';
import { ConfigError, loadConfig } from '../src/config';
import { agentVerdict, removedIsbotPatterns } from '../src/views/readerAgent';

/** How many rows of each category the table holds, and with which verdicts. */
function countsOf(rows: typeof agentTable) {
  const counts: Record<AgentCategory, { reader: number; bot: number }> = {
    app: { reader: 0, bot: 0 },
    browser: { reader: 0, bot: 0 },
    crawler: { reader: 0, bot: 0 },
    script: { reader: 0, bot: 0 },
  };
  for (const row of rows) counts[row.category][row.verdict] += 1;
  return counts;
}

describe('agentVerdict', () => {
  it.each(agentTable.map(row => [row.category, row.client, row.verdict, row.userAgent]))(
    '%s: %s is a %s',
    (_category, _client, verdict, userAgent) => {
      expect(agentVerdict(userAgent)).toBe(verdict);
    },
  );

  it('holds at least 40 real user agents: apps and browsers are readers, crawlers and scripts bots', () => {
    const counts = countsOf(agentTable);
    // The report's figures (issue 13): printed so a run shows them.
    console.log(
      `user-agent table: ${agentTable.length} rows; ` +
        Object.entries(counts)
          .map(
            ([category, { reader, bot }]) =>
              `${category} ${reader + bot} (${reader} reader, ${bot} bot)`,
          )
          .join(', '),
    );
    expect(agentTable.length).toBeGreaterThanOrEqual(40);
    expect(counts).toEqual({
      app: { reader: 25, bot: 0 },
      browser: { reader: 16, bot: 0 },
      crawler: { reader: 0, bot: 26 },
      script: { reader: 0, bot: 25 },
    });
    expect(new Set(agentTable.map(row => row.userAgent)).size).toBe(agentTable.length);
  });

  it('would have thrown apps away with plain isbot: the table is not one isbot already passes', () => {
    const eaten = agentTable.filter(row => row.category === 'app' && isbot(row.userAgent));
    expect(eaten.map(row => row.userAgent)).toEqual(
      expect.arrayContaining([
        'okhttp/4.12.0',
        'Apollo-iOS/1.9',
        'Ktor client',
        'MyNewsApp/5.1 CFNetwork/1494.0.7 Darwin/23.4.0',
      ]),
    );
    expect(eaten.length).toBe(15);
  });

  it('removes only patterns that are in isbot list and that each ate an app of the table', () => {
    for (const pattern of Object.keys(removedIsbotPatterns)) {
      expect(list).toContain(pattern);
      const apps = agentTable.filter(
        row => row.category === 'app' && isbotPatterns(row.userAgent).includes(pattern),
      );
      expect({ pattern, apps: apps.length > 0 }).toEqual({ pattern, apps: true });
    }
  });

  it('judges a 16 kB user agent built to make the WebView pattern backtrack in linear time', () => {
    // Node's largest header block is 16 kB. A quadratic pattern took 25 ms at 8 kB, 100 at 16.
    const evil = 'Mozilla/5.0 (Linux; Android ' + '; wv'.repeat(4000);
    agentVerdict(evil);
    const started = performance.now();
    expect(agentVerdict(evil)).toBe('reader');
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('keeps the rule for a missing or empty user agent: no evidence of a bot', () => {
    expect(agentVerdict(null)).toBe('reader');
    expect(agentVerdict(undefined)).toBe('reader');
    expect(agentVerdict('')).toBe('reader');
  });

  it("never lets a word in an app's own name decide, whatever the stack", () => {
    for (const name of ['NewsBot', 'FeedFetcher', 'HttpReader', 'Crawler%20News', 'ScanManager']) {
      expect(agentVerdict(`${name}/2.0 CFNetwork/1494.0.7 Darwin/23.4.0`)).toBe('reader');
      expect(
        agentVerdict(
          `Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ${name}/2.0`,
        ),
      ).toBe('reader');
    }
  });

  it("still calls a crawler a bot when it dresses as a WebView with a '(compatible; ...)' comment", () => {
    expect(
      agentVerdict(
        'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240905.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.107 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      ),
    ).toBe('bot');
  });

  it("counts the publisher's own app agents (READER_APP_AGENTS) as readers, case-insensitively", () => {
    const ownApp = 'Mozilla/5.0 (compatible; MyNewsApp-Widget/5.1; +https://news.example/app)';
    expect(agentVerdict(ownApp)).toBe('bot');
    expect(agentVerdict(ownApp, ['mynewsapp-widget/'])).toBe('reader');
    expect(agentVerdict('curl/8.11.0', ['mynewsapp-widget/'])).toBe('bot');
  });
});

describe('READER_APP_AGENTS', () => {
  it('is empty by default and a lower-cased, trimmed list when set', () => {
    expect(loadConfig({}).views.readerAppAgents).toEqual([]);
    expect(
      loadConfig({ READER_APP_AGENTS: ' MyNewsApp/ ,Zeitung-Kiosk,' }).views.readerAppAgents,
    ).toEqual(['mynewsapp/', 'zeitung-kiosk']);
  });

  it.each([
    ['a part too short to name an app', 'ok'],
    ['a control character', 'MyNewsApp\tWidget'],
    ['more than 50 parts', Array.from({ length: 51 }, (_, i) => `app-${i}`).join(',')],
  ])('refuses %s, naming the setting', (_case, value) => {
    expect(() => loadConfig({ READER_APP_AGENTS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ READER_APP_AGENTS: value })).toThrow(
      'Invalid setting READER_APP_AGENTS: expected a comma-separated list',
    );
  });
});

describeEachDatabase('reader agents through the real gateway', dialect => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, {
      env: { READER_APP_AGENTS: 'MyNewsApp-Widget/, Zeitung-Kiosk' },
    });
    await gateway.importFiles(articleSeries(1));
  });
  afterAll(() => gateway.close());

  const agent = (client: string) => agentTable.find(row => row.client === client)!.userAgent;

  async function mutation(userAgent: string, visitorId: string) {
    const { body } = await gateway.gql<{ recordView: { counted: boolean; reason: string | null } }>(
      recordViewMutation,
      { input: { slug: 'serie-000', visitorId } },
      { 'user-agent': userAgent },
    );
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    const { counted, reason } = body.data!.recordView;
    return { counted, reason };
  }

  async function viewCount(): Promise<number> {
    await gateway.flushViews();
    gateway.clock.advance(2000);
    const { body } = await gateway.gql<{ article: { viewCount: number } }>(
      'query ($slug: String!) { article(slug: $slug) { viewCount } }',
      { slug: 'serie-000' },
    );
    return body.data!.article.viewCount;
  }

  async function beacon(userAgent: string, visitorId: string) {
    const response = await fetch(`${gateway.url}/views`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': userAgent },
      body: JSON.stringify({ slug: 'serie-000', visitorId }),
    });
    return (await response.json()) as { counted: boolean; reason: string | null };
  }

  it('counts views from app stacks and WebViews, not from scripts and crawlers (recordView)', async () => {
    const before = await viewCount();
    for (const client of [
      'OkHttp 4 (Android apps, Retrofit, Apollo Kotlin)',
      'a news app on iOS (NSURLSession, CFNetwork)',
      "Ktor client's default",
      'iOS WKWebView with the app name',
    ]) {
      expect({ client, ...(await mutation(agent(client), `m-${client}`)) }).toEqual({
        client,
        counted: true,
        reason: null,
      });
    }
    for (const client of [
      'curl 8',
      'python-requests',
      'GPTBot',
      "Node's fetch (a server, not its reader)",
    ]) {
      expect({ client, ...(await mutation(agent(client), `m-${client}`)) }).toEqual({
        client,
        counted: false,
        reason: 'BOT',
      });
    }
    expect(await viewCount()).toBe(before + 4);
  });

  it('counts views from app stacks, not from scripts and crawlers (POST /views)', async () => {
    for (const client of [
      "React Native's fetch on Android (OkHttp)",
      "Ktor client's UserAgent plugin",
      'Apollo iOS as an app sends it',
      "Android's HttpURLConnection (Dalvik)",
    ]) {
      expect({ client, ...(await beacon(agent(client), `b-${client}`)) }).toEqual({
        client,
        counted: true,
        reason: null,
      });
    }
    for (const client of ['curl 8', 'Bytespider', "Go's net/http"]) {
      expect({ client, ...(await beacon(agent(client), `b-${client}`)) }).toEqual({
        client,
        counted: false,
        reason: 'BOT',
      });
    }
  });

  it('counts the agents listed in READER_APP_AGENTS', async () => {
    const widget = 'Mozilla/5.0 (compatible; MyNewsApp-Widget/5.1; +https://news.example/app)';
    expect(gateway.config.views.readerAppAgents).toEqual(['mynewsapp-widget/', 'zeitung-kiosk']);
    expect(await mutation(widget, 'r-widget')).toEqual({ counted: true, reason: null });
    expect(await beacon('Zeitung-Kiosk/1.0 (+https://kiosk.example)', 'r-kiosk')).toEqual({
      counted: true,
      reason: null,
    });
  });
});
