import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { runBuiltCommand, startGatewayProcess, useBuiltGateway } from './helpers/builtGateway';
import { createTestDatabase, type TestDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { browserAgent } from './helpers/views';
import { loadConfig } from '../src/config';
import { importContent } from '../src/content/import/contentImport';
import { createGateway } from '../src/gateway';

/**
 * Three real gateway processes (node dist/index.js) on one PostgreSQL and one Redis, with the
 * test's own round-robin in front: counted once per visitor, article and dedupe period whichever
 * replica a view reaches, and what a SIGTERM and a SIGKILL during the load cost, measured.
 */
const urls = { database: process.env.TEST_DATABASE_URL, redis: process.env.TEST_REDIS_URL };
const { build } = useBuiltGateway();

const articles = 15;
const slugOf = (article: number) => `serie-${String(article).padStart(3, '0')}`;
const flushIntervalMs = 1000;
const connections = 50;

interface Replica {
  name: string;
  child: ChildProcess;
  port: number;
  exited: Promise<void>;
}

interface SentView {
  visitor: number;
  article: number;
  /** Which replica the round-robin sends it to (an index into the replicas). */
  replica: number;
}

interface Answer {
  replica: number;
  counted: boolean;
  /** Date.now() when the answer came. */
  at: number;
}

/** One view through the beacon (even visitors) or the mutation (odd); anonymous from 900 on. */
async function send(replica: Replica, view: SentView): Promise<boolean> {
  const input =
    view.visitor >= 900
      ? { slug: slugOf(view.article) }
      : { slug: slugOf(view.article), visitorId: `leser-${view.visitor}` };
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': browserAgent,
    // Anonymous readers are told apart by address (TRUST_PROXY=loopback): IP, agent and the salt.
    'x-forwarded-for': `198.51.${view.visitor >> 8}.${view.visitor & 255}`,
  };
  const base = `http://127.0.0.1:${replica.port}`;
  if (view.visitor % 2 === 0) {
    const response = await fetch(`${base}/views`, {
      method: 'POST',
      headers,
      body: JSON.stringify(input),
    });
    if (response.status !== 200) throw new Error(`beacon answered ${response.status}`);
    return ((await response.json()) as { counted: boolean }).counted;
  }
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      query: 'mutation ($input: RecordViewInput!) { recordView(input: $input) { counted } }',
      variables: { input },
    }),
  });
  const body = (await response.json()) as {
    data?: { recordView: { counted: boolean } };
    errors?: unknown;
  };
  if (!body.data) throw new Error(`recordView answered ${JSON.stringify(body.errors)}`);
  return body.data.recordView.counted;
}

/** Runs `next` on `connections` concurrent workers until it returns null. */
async function workers(next: () => Promise<boolean>): Promise<void> {
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (await next());
    }),
  );
}

const describeOnBoth = urls.database && urls.redis ? describe : describe.skip;
const skipNote =
  urls.database && urls.redis
    ? ''
    : ` (skipped: ${[!urls.database && 'TEST_DATABASE_URL', !urls.redis && 'TEST_REDIS_URL'].filter(Boolean).join(' and ')} not set)`;

describeOnBoth(
  `three replicas on one PostgreSQL and one Redis [postgres] [redis]${skipNote}`,
  () => {
    let database: TestDatabase;
    let prefix: string;
    let token: string;
    const replicas: Replica[] = [];

    async function startReplica(name: string): Promise<Replica> {
      const { child, port } = await startGatewayProcess(build(), {
        HOST: '127.0.0.1',
        PORT: '0',
        DEMO_CONTENT: 'false',
        LOG_LEVEL: 'info',
        RATE_LIMIT_ENABLED: 'false',
        TRUST_PROXY: 'loopback',
        VIEW_FLUSH_INTERVAL_MS: String(flushIntervalMs),
        REDIS_URL: urls.redis as string,
        REDIS_KEY_PREFIX: prefix,
        ...database.env,
        DATABASE_POOL_SIZE: '3',
      });
      const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
      return { name, child, port, exited };
    }

    /** The stored views and unique visitors per article, read from PostgreSQL itself. */
    async function storedByArticle(): Promise<Map<number, { views: number; uniques: number }>> {
      const client = new Client({ connectionString: urls.database });
      await client.connect();
      try {
        const schema = database.env.DATABASE_SCHEMA;
        const { rows } = await client.query<{ slug: string; views: string; uniques: string }>(
          `SELECT a.slug, t.views, t.unique_visitors AS uniques
           FROM ${schema}.article_view_total t JOIN ${schema}.article a ON a.internal_id = t.article_id`,
        );
        return new Map(
          rows.map(row => [
            Number(row.slug.slice(6)),
            { views: Number(row.views), uniques: Number(row.uniques) },
          ]),
        );
      } finally {
        await client.end();
      }
    }

    /** Waits until no replica holds buffered views (each flushes every second). */
    async function settled(running: Replica[]): Promise<void> {
      for (const replica of running) {
        for (let attempt = 0; ; attempt += 1) {
          const text = await (await fetch(`http://127.0.0.1:${replica.port}/metrics`)).text();
          if (/^gateway_views_buffered 0$/m.test(text)) break;
          if (attempt > 100) throw new Error(`${replica.name} keeps views buffered`);
          await new Promise(resolve => setTimeout(resolve, 100));
        }
      }
    }

    beforeAll(async () => {
      database = await createTestDatabase('postgres');
      prefix = `cg-replicas-${randomBytes(4).toString('hex')}:`;
      const gateway = await createGateway(
        loadConfig({
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          DEMO_CONTENT: 'false',
          ...database.env,
        }),
      );
      expect(
        (await importContent(gateway.db, articleSeries(articles), new Date(Date.now() - 60_000)))
          .problems,
      ).toEqual([]);
      await gateway.stop();
      const created = runBuiltCommand(
        build(),
        'token',
        ['create', '--name', 'replicas', '--scope', 'analytics:read'],
        database.env,
      );
      expect(created.status).toBe(0);
      token = created.stdout.trim().split('\n').at(-1) as string;
      replicas.push(
        ...(await Promise.all(['a', 'b', 'c'].map(name => startReplica(`replica ${name}`)))),
      );
    }, 120_000);

    afterAll(async () => {
      for (const replica of replicas) {
        if (replica.child.exitCode === null && replica.child.signalCode === null) {
          replica.child.kill('SIGKILL');
          await replica.exited;
        }
      }
      const redis = new Redis(urls.redis as string);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      await database.drop();
    });

    it('counts 1,000 visitors once per article whichever replica each view reaches', async () => {
      // Each visitor reads 3 of the 15 articles, each twice: the repeat on another replica.
      const views: SentView[] = [];
      for (let visitor = 0; visitor < 1000; visitor += 1) {
        for (let k = 0; k < 3; k += 1) {
          const article = (visitor * 7 + k * 5) % articles;
          for (let repeat = 0; repeat < 2; repeat += 1) {
            views.push({ visitor, article, replica: (visitor + k + repeat) % 3 });
          }
        }
      }
      // Interleaved so that a pair's two views are often in flight at once, on two replicas.
      const order = views.map((_, i) => i).sort((a, b) => (a % 97) - (b % 97) || a - b);
      const expected = new Map<number, number>();
      for (const view of views.filter((_, i) => i % 2 === 0)) {
        expected.set(view.article, (expected.get(view.article) ?? 0) + 1);
      }
      let cursor = 0;
      const counted = [0, 0, 0];
      await workers(async () => {
        if (cursor >= order.length) return false;
        const view = views[order[cursor++]];
        if (await send(replicas[view.replica], view)) counted[view.replica] += 1;
        return true;
      });
      await settled(replicas);
      const total = counted.reduce((sum, n) => sum + n, 0);
      process.stdout.write(
        `[replicas] phase 1: ${views.length} views sent (${connections} connections, 3 replicas), ${total} counted (${counted.join(' + ')}), ${expected.size} articles\n`,
      );
      expect(total).toBe(3000);

      // The database holds exactly what was sent, once per visitor and article.
      const stored = await storedByArticle();
      for (let article = 0; article < articles; article += 1) {
        const want = expected.get(article) ?? 0;
        expect({ article, ...(stored.get(article) ?? { views: 0, uniques: 0 }) }).toEqual({
          article,
          views: want,
          uniques: want,
        });
      }

      // Rankings and viewCount on every replica agree with it.
      for (const replica of replicas) {
        const response = await fetch(`http://127.0.0.1:${replica.port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query:
              'query Ranked { mostRead(first: 20, window: LAST_24_HOURS) { edges { views uniqueVisitors node { slug viewCount(window: LAST_24_HOURS) } } } }',
          }),
        });
        const body = (await response.json()) as {
          data: {
            mostRead: {
              edges: {
                views: number;
                uniqueVisitors: number;
                node: { slug: string; viewCount: number };
              }[];
            };
          };
        };
        const ranked = body.data.mostRead.edges.map(edge => [
          Number(edge.node.slug.slice(6)),
          edge.views,
          edge.uniqueVisitors,
          edge.node.viewCount,
        ]);
        const want = [...expected]
          .sort(([a, x], [b, y]) => y - x || a - b)
          .map(([article, n]) => [article, n, n, n]);
        expect(ranked).toEqual(want);
      }

      // So does the export.
      const day = 86_400_000;
      const from = new Date(Date.now() - 2 * day).toISOString().slice(0, 10);
      const to = new Date(Date.now() + 2 * day).toISOString().slice(0, 10);
      const exported = await fetch(
        `http://127.0.0.1:${replicas[2].port}/exports/views?from=${from}&to=${to}&granularity=day&format=ndjson`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      expect(exported.status).toBe(200);
      const rows = (await exported.text())
        .trim()
        .split('\n')
        .map(line => JSON.parse(line) as { slug: string; views: number; unique_visitors: number });
      const fromExport = new Map<number, number[]>();
      for (const row of rows) {
        const article = Number(row.slug.slice(6));
        const [views, uniques] = fromExport.get(article) ?? [0, 0];
        fromExport.set(article, [views + Number(row.views), uniques + Number(row.unique_visitors)]);
      }
      for (let article = 0; article < articles; article += 1) {
        const want = expected.get(article) ?? 0;
        expect([article, ...(fromExport.get(article) ?? [0, 0])]).toEqual([article, want, want]);
      }
    }, 120_000);

    it('loses nothing the survivors and the SIGTERMed replica accepted; the SIGKILLed one at most its flush interval', async () => {
      const before = await storedByArticle();
      // Articles 0-9 go round-robin over replicas a and b (a only, once b is stopped), 10-14 to c
      // alone: what is stored for 10-14 is what c wrote, so its loss is measured exactly.
      const [a, b, c] = replicas;
      const answers: Answer[] = [];
      let unansweredByC = 0;
      let next = 0;
      let turn = 0;
      let bStopped = false;
      let bGone = false;
      let cKilled = false;
      let killedAt = 0;
      const started = Date.now();
      const timeline = setInterval(() => {
        const elapsed = Date.now() - started;
        if (!bStopped && elapsed > 1500) {
          bStopped = true;
          b.child.kill('SIGTERM');
        }
        if (!cKilled && elapsed > 2700) {
          cKilled = true;
          killedAt = Date.now();
          c.child.kill('SIGKILL');
        }
      }, 20);
      try {
        await workers(async () => {
          if (Date.now() - started > 4500) return false;
          const index = next++;
          const visitor = 2000 + Math.floor(index / 3);
          const article = index % 3 === 2 ? 10 + (visitor % 5) : (visitor + index) % 10;
          const view = { visitor, article, replica: 0 };
          if (article >= 10) {
            if (c.child.exitCode !== null || c.child.signalCode !== null || cKilled) return true;
            try {
              const counted = await send(c, view);
              answers.push({ replica: 2, counted, at: Date.now() });
            } catch {
              unansweredByC += 1;
            }
            return true;
          }
          // The round-robin over a and b; a request b refuses or cuts (it is stopping) goes to a,
          // and b gets no more once it has refused one, as a load balancer's health check would do.
          const toB = !bGone && turn++ % 2 === 1;
          if (toB) {
            try {
              const counted = await send(b, view);
              answers.push({ replica: 1, counted, at: Date.now() });
              return true;
            } catch {
              bGone = true;
            }
          }
          const counted = await send(a, view);
          answers.push({ replica: 0, counted, at: Date.now() });
          return true;
        });
      } finally {
        clearInterval(timeline);
      }
      await b.exited;
      await c.exited;
      expect(b.child.exitCode).toBe(0);
      await settled([a]);
      const after = await storedByArticle();
      const delta = (from: number, to: number) => {
        let views = 0;
        for (let article = from; article < to; article += 1) {
          views += (after.get(article)?.views ?? 0) - (before.get(article)?.views ?? 0);
        }
        return views;
      };
      const accepted = (replica: number) =>
        answers.filter(answer => answer.replica === replica && answer.counted).length;
      const acceptedByC = accepted(2);
      const storedForC = delta(10, 15);
      const lost = acceptedByC - storedForC;
      const inLastInterval = answers.filter(
        answer => answer.replica === 2 && answer.counted && answer.at > killedAt - flushIntervalMs,
      ).length;
      process.stdout.write(
        `[replicas] phase 2: ${answers.length} views answered; a accepted ${accepted(0)}, b (SIGTERM at 1.5 s) ${accepted(1)}, c (SIGKILL at 2.7 s) ${acceptedByC} (+${unansweredByC} unanswered); stored ${delta(0, 10)} of a+b's ${accepted(0) + accepted(1)}, ${storedForC} of c's: c lost ${lost}, ${inLastInterval} of its views came in its last ${flushIntervalMs} ms\n`,
      );
      expect(accepted(1)).toBeGreaterThan(0);
      expect(acceptedByC).toBeGreaterThan(0);
      // Nothing a survivor or the SIGTERMed replica accepted is lost, and nothing is counted twice.
      expect(delta(0, 10)).toBe(accepted(0) + accepted(1));
      // The SIGKILLed one lost at most what it buffered: views of its last flush interval (and of a
      // flush cut in the middle, and requests it counted but could not answer).
      expect(storedForC).toBeLessThanOrEqual(acceptedByC + unansweredByC);
      expect(lost).toBeLessThanOrEqual(
        answers.filter(
          answer =>
            answer.replica === 2 && answer.counted && answer.at > killedAt - 2 * flushIntervalMs,
        ).length,
      );
    }, 60_000);
  },
);
