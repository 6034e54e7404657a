import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { describeEachDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { browserAgent } from './helpers/views';

const example = path.join(__dirname, '..', 'docs', 'examples', 'ssr-view.mjs');
const slug = 'serie-000';

/** The README's example, run as it is: `node docs/examples/ssr-view.mjs` against the gateway. */
class SsrExample {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly lines: AsyncIterator<string>,
  ) {}

  static async start(gatewayUrl: string): Promise<SsrExample> {
    const child = spawn(process.execPath, [example], {
      env: { ...process.env, GATEWAY_URL: gatewayUrl, PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const first = await lines.next();
    const url = /listening on (\S+)/.exec(String(first.value))?.[1];
    if (!url) throw new Error(`the example did not start: ${String(first.value)}`);
    return new SsrExample(child, url.replace('localhost', '127.0.0.1'), lines);
  }

  /**
   * A reader opens an article from `address` (a loopback address of its own, so that readers
   * differ as on the internet); resolves with the line the example logs once it reported the view.
   */
  async read(userAgent: string, address = '127.0.0.1'): Promise<unknown> {
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get(
          `${this.url}/articles/${slug}`,
          { headers: { 'user-agent': userAgent }, localAddress: address },
          res => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        )
        .on('error', reject);
    });
    expect(status).toBe(200);
    return JSON.parse(String((await this.lines.next()).value));
  }

  stop(): Promise<void> {
    return new Promise(resolve => {
      this.child.once('exit', () => resolve());
      this.child.kill();
    });
  }
}

describeEachDatabase("a server-rendered front end reports its reader's view", dialect => {
  let gateway: TestGateway | undefined;
  let ssr: SsrExample | undefined;

  /** A gateway with TRUST_PROXY set as given, one article, and the example in front of it. */
  async function start(trustProxy: string) {
    gateway = await startTestGateway(dialect, { env: { TRUST_PROXY: trustProxy } });
    await gateway.importFiles(articleSeries(1));
    ssr = await SsrExample.start(gateway.url);
    return { gateway, ssr };
  }

  async function viewCount(): Promise<number> {
    await gateway!.flushViews();
    gateway!.clock.advance(2000);
    const { body } = await gateway!.gql<{ article: { viewCount: number } }>(
      'query ($slug: String!) { article(slug: $slug) { viewCount } }',
      { slug },
    );
    return body.data!.article.viewCount;
  }

  afterEach(async () => {
    await ssr?.stop();
    await gateway?.close();
    ssr = gateway = undefined;
  });

  it('counts each reader once, by their user agent and address, behind TRUST_PROXY', async () => {
    const started = await start('loopback');

    expect(await started.ssr.read(browserAgent, '127.0.0.2')).toEqual({
      slug,
      counted: true,
      reason: null,
    });
    // The same reader again within the dedupe period: their address and user agent arrived.
    expect(await started.ssr.read(browserAgent, '127.0.0.2')).toEqual({
      slug,
      counted: false,
      reason: 'REPEAT',
    });
    // Another reader with the same browser, from another address, is another visitor.
    expect(await started.ssr.read(browserAgent, '127.0.0.3')).toEqual({
      slug,
      counted: true,
      reason: null,
    });
    // A crawler reading the server-rendered page stays a crawler.
    expect(
      await started.ssr.read(
        'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      ),
    ).toEqual({ slug, counted: false, reason: 'BOT' });
    expect(await viewCount()).toBe(2);
  });

  it('counts nothing that the server reports without forwarding its reader', async () => {
    const started = await start('loopback');
    // What a server-rendered page sends when it calls the gateway as itself: Node's own "node".
    const response = await fetch(`${started.gateway.url}/views`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slug }),
    });
    expect(await response.json()).toEqual({ counted: false, reason: 'BOT' });
    expect(await viewCount()).toBe(0);
  });

  it('takes X-Forwarded-For only from a proxy TRUST_PROXY lists', async () => {
    const started = await start('false');
    expect(await started.ssr.read(browserAgent, '127.0.0.2')).toEqual({
      slug,
      counted: true,
      reason: null,
    });
    // Without TRUST_PROXY both readers are the example's own address: one visitor.
    expect(await started.ssr.read(browserAgent, '127.0.0.3')).toEqual({
      slug,
      counted: false,
      reason: 'REPEAT',
    });
    expect(await viewCount()).toBe(1);
  });
});

describe('the server-rendered example', () => {
  it('is the code the README shows', () => {
    const source = fs.readFileSync(example, 'utf8');
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const reportView = /^export async function reportView[\s\S]*?^}$/m.exec(source)![0];
    expect(readme).toContain(reportView);
  });
});
