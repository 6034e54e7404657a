import { startGatewayProcess, useBuiltGateway } from './helpers/builtGateway';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { loadConfig } from '../src/config';
import { importContent } from '../src/content/import/contentImport';
import { createGateway } from '../src/gateway';

const { build } = useBuiltGateway();

const browser = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const slugs = articleSeries(5).map(file => file.name.replace(/\.md$/, ''));

type Outcome = 'counted' | 'not-counted' | 'query-ok' | 'refused' | 'connection-closed';

describeEachDatabase('graceful shutdown', dialect => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const gateway = await createGateway(
      loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_CONTENT: 'false', ...database.env }),
    );
    const report = await importContent(gateway.db, articleSeries(5), new Date());
    expect(report.problems).toEqual([]);
    await gateway.stop();
  });
  afterAll(() => database.drop());

  it('finishes or cleanly refuses every request on SIGTERM, stores every counted view and exits 0', async () => {
    const { child, port, output } = await startGatewayProcess(build(), {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      DEMO_CONTENT: 'false',
      LOG_LEVEL: 'info',
      RATE_LIMIT_ENABLED: 'false',
      SHUTDOWN_DELAY_MS: '500',
      SHUTDOWN_TIMEOUT_MS: '5000',
      ...database.env,
    });
    const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    const outcomes: Outcome[] = [];
    const unexpected: string[] = [];
    let sequence = 0;
    let terminated = false;

    async function one(worker: number): Promise<boolean> {
      const n = sequence++;
      const isView = n % 4 !== 0;
      const body = isView
        ? {
            query:
              'mutation View($input: RecordViewInput!) { recordView(input: $input) { counted } }',
            variables: { input: { slug: slugs[n % slugs.length], visitorId: `w${worker}-v${n}` } },
          }
        : { query: '{ articles(first: 5) { edges { node { title } } } }' };
      try {
        const response = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': browser },
          body: JSON.stringify(body),
        });
        const text = await response.text();
        if (response.status === 503) {
          outcomes.push('refused');
          return true;
        }
        const json = JSON.parse(text) as {
          data?: { recordView?: { counted: boolean } };
          errors?: unknown[];
        };
        if (response.status !== 200 || json.errors) {
          unexpected.push(`${response.status} ${text}`);
        } else if (isView) {
          outcomes.push(json.data?.recordView?.counted ? 'counted' : 'not-counted');
        } else {
          outcomes.push('query-ok');
        }
        return true;
      } catch (error) {
        // After the listener closes, a new connection is refused (or an idle keep-alive socket
        // closed under a new request): the request never reached the server, nothing half-done.
        if (!terminated) unexpected.push(String(error));
        outcomes.push('connection-closed');
        return false;
      }
    }

    const workers = Array.from({ length: 16 }, async (_, worker) => {
      while (await one(worker)) {
        // keep going until the gateway stops accepting
      }
    });
    // Load until a hundred views are counted (or five seconds pass on a slow machine).
    const loadStarted = Date.now();
    while (outcomes.filter(o => o === 'counted').length < 100 && Date.now() - loadStarted < 5000) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    terminated = true;
    child.kill('SIGTERM');
    // /ready turns 503 at once, while the gateway still serves during SHUTDOWN_DELAY_MS.
    // (The signal arrives asynchronously: poll until the answer changes.)
    const seen: string[] = [];
    let readiness = 200;
    for (let i = 0; i < 50 && readiness === 200; i += 1) {
      readiness = await fetch(`${url}/ready`).then(
        response => response.status,
        (error: Error) => {
          seen.push(String((error.cause as Error | undefined)?.message ?? error.message));
          return 0;
        },
      );
      seen.push(String(readiness));
      if (readiness === 200) await new Promise(resolve => setTimeout(resolve, 10));
    }
    expect({ readiness, seen }).toMatchObject({ readiness: 503 });
    await Promise.all(workers);
    expect(await exited).toBe(0);

    expect(unexpected).toEqual([]);
    const counted = outcomes.filter(outcome => outcome === 'counted').length;
    expect(counted).toBeGreaterThanOrEqual(100);
    expect(outcomes.filter(outcome => outcome === 'query-ok').length).toBeGreaterThan(10);
    const logs = output.join('');
    expect(logs).toMatch(/"msg":"stopped"/);
    expect(logs).not.toMatch(/127\.0\.0\.1|w\d+-v\d+/);

    // After a restart the stored counts add up to the views the gateway said it counted.
    const restarted = await createGateway(
      loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_CONTENT: 'false', ...database.env }),
    );
    try {
      const restartedPort = await restarted.server.listen(0, '127.0.0.1');
      const response = await fetch(`http://127.0.0.1:${restartedPort}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: '{ articles(first: 10) { edges { node { viewCount(window: ALL_TIME) } } } }',
        }),
      });
      const json = (await response.json()) as {
        data?: { articles: { edges: { node: { viewCount: number } }[] } };
        errors?: unknown[];
      };
      expect(json.errors).toBeUndefined();
      const stored = json.data?.articles.edges.reduce((sum, edge) => sum + edge.node.viewCount, 0);
      const summary = outcomes.reduce<Record<string, number>>(
        (all, outcome) => ({ ...all, [outcome]: (all[outcome] ?? 0) + 1 }),
        {},
      );
      expect({ stored, summary }).toEqual({ stored: counted, summary });
    } finally {
      await restarted.stop();
    }
  }, 60_000);
});
