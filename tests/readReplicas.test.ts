import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import pino from 'pino';
import { articleFile } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { view } from './helpers/views';
import { createToken } from '../src/access/apiTokens';
import { replicaRetryMs } from '../src/db/readReplicas';

/**
 * Read replicas against a real streaming standby (scripts/startStandby.sh; .ci/run starts it and
 * sets TEST_READ_REPLICA_URL): public reads are answered by the standby, writes, previews and
 * mutations by the primary, a stopped standby is skipped and used again once it is back, and the
 * replication lag a reader may see is measured. The standby is made to lag on purpose by pausing
 * its replay (pg_wal_replay_pause): a read that still sees the old row was answered there.
 */
const primaryUrl = process.env.TEST_DATABASE_URL;
const standbyUrl = process.env.TEST_READ_REPLICA_URL;
const script = path.join(__dirname, '..', 'scripts', 'startStandby.sh');

const articleQuery = /* GraphQL */ `
  query Article($slug: String!, $preview: Boolean) {
    article(slug: $slug, preview: $preview) {
      id
      title
      revision
    }
  }
`;

const revisionsQuery = /* GraphQL */ `
  query Revisions($slug: String!) {
    article(slug: $slug) {
      id
      title
      revisions(first: 1) {
        revision
      }
    }
  }
`;

const updateMutation = /* GraphQL */ `
  mutation Update($input: UpdateArticleInput!) {
    updateArticle(input: $input) {
      article {
        id
        title
        revision
      }
    }
  }
`;

interface ArticleData {
  article: { id: string; title: string; revision: number } | null;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

if (!primaryUrl || !standbyUrl) {
  describe.skip('read replicas [read-replica] (skipped: TEST_DATABASE_URL and TEST_READ_REPLICA_URL are not both set; scripts/startStandby.sh starts a standby)', () => {
    it('runs only against a real PostgreSQL primary and its streaming standby', () => undefined);
  });
} else {
  describe('read replicas [read-replica]', () => {
    const standbyPort = new URL(standbyUrl).port || '5432';
    const standbyScript = (command: 'start' | 'stop') =>
      execFileSync(script, [command], { env: { ...process.env, STANDBY_PORT: standbyPort } });
    let gateway: TestGateway;
    let primary: Client;
    let standby: Client;
    let writer: string;
    let previewer: string;
    let articleId: string;
    let revision: number;
    const logLines: { msg: string }[] = [];
    const schema = () => (gateway.config.database as { schema: string }).schema;

    const connectStandby = async () => {
      standby = new Client({ connectionString: standbyUrl });
      standby.on('error', () => undefined);
      await standby.connect();
    };
    /** Waits until the standby has replayed everything the primary has written so far. */
    const caughtUp = async () => {
      const [{ lsn }] = (await primary.query('SELECT pg_current_wal_lsn()::text AS lsn')).rows;
      await until(async () => {
        const { rows } = await standby.query(
          'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done',
          [lsn],
        );
        return rows[0].done === true;
      }, 'the standby to replay the primary');
    };
    const pauseReplay = async () => {
      await standby.query('SELECT pg_wal_replay_pause()');
      await until(
        async () =>
          (await standby.query('SELECT pg_get_wal_replay_pause_state() AS state')).rows[0].state ===
          'paused',
        'replay to pause',
      );
    };
    const resumeReplay = () => standby.query('SELECT pg_wal_replay_resume()');
    const publicTitle = async () => {
      const answer = await gateway.gql<ArticleData>(articleQuery, { slug: 'rathaus' });
      expect(answer.body.errors).toBeUndefined();
      return answer.body.data?.article?.title;
    };
    const retitle = async (title: string) => {
      const answer = await gateway.gql<{ updateArticle: { article: ArticleData['article'] } }>(
        updateMutation,
        { input: { id: articleId, expectedRevision: revision, title } },
        { authorization: `Bearer ${writer}` },
      );
      expect(answer.body.errors).toBeUndefined();
      const article = answer.body.data?.updateArticle.article;
      revision = article?.revision ?? NaN;
      return article?.title;
    };

    beforeAll(async () => {
      standbyScript('start');
      primary = new Client({ connectionString: primaryUrl });
      await primary.connect();
      await connectStandby();
      await resumeReplay();
      const stream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString().split('\n').filter(Boolean)) {
            logLines.push(JSON.parse(line) as { msg: string });
          }
          done();
        },
      });
      gateway = await startTestGateway('postgres', {
        env: { DATABASE_READ_URLS: standbyUrl },
        log: pino({ level: 'info' }, stream),
      });
      await gateway.importFiles([articleFile({ slug: 'rathaus', title: 'Alt' })]);
      writer = await createToken(gateway.db, 'redaktion', ['content:write'], gateway.clock());
      previewer = await createToken(gateway.db, 'vorschau', ['content:preview'], gateway.clock());
      // The migrations and the import ran on the primary; public reads see them once replayed.
      await caughtUp();
      const first = await gateway.gql<ArticleData>(articleQuery, { slug: 'rathaus' });
      articleId = first.body.data?.article?.id ?? '';
      revision = first.body.data?.article?.revision ?? NaN;
    }, 60_000);

    afterEach(async () => {
      // A failed test leaves neither a stopped standby nor a paused replay to the next one.
      standbyScript('start');
      await resumeReplay().catch(async () => {
        await standby.end().catch(() => undefined);
        await connectStandby();
        await resumeReplay();
      });
      await caughtUp();
    }, 30_000);

    afterAll(async () => {
      standbyScript('start');
      await resumeReplay().catch(() => undefined);
      await gateway?.close();
      await primary?.end();
      await standby?.end();
    }, 60_000);

    it('answers public reads from the standby, and writes, mutations, previews and revisions from the primary', async () => {
      expect(await publicTitle()).toBe('Alt');
      await pauseReplay();
      try {
        // The write goes to the primary (the standby is read-only: a write there would fail), and
        // the mutation's own answer is read there too: it shows the new title.
        expect(await retitle('Neu')).toBe('Neu');
        // The standby replays nothing now: a public read that sees the old title was answered by it.
        expect(await publicTitle()).toBe('Alt');
        expect(
          (await gateway.gql(`query Titles { articles(first: 5) { edges { node { id title } } } }`))
            .body.data,
        ).toEqual({ articles: { edges: [{ node: { id: articleId, title: 'Alt' } }] } });
        const feed = await fetch(`${gateway.url}/feed.xml`);
        expect(await feed.text()).toContain('Alt');
        // A preview, and a read of revisions, go to the primary and see the write at once.
        const preview = await gateway.gql<ArticleData>(
          articleQuery,
          { slug: 'rathaus', preview: true },
          { authorization: `Bearer ${previewer}` },
        );
        expect(preview.body.data?.article?.title).toBe('Neu');
        const revisions = await gateway.gql<{
          article: { title: string; revisions: { revision: number }[] };
        }>(revisionsQuery, { slug: 'rathaus' }, { authorization: `Bearer ${writer}` });
        expect(revisions.body.errors).toBeUndefined();
        expect(revisions.body.data?.article).toEqual({
          id: articleId,
          title: 'Neu',
          revisions: [{ revision }],
        });
        // The view flusher writes on the primary while the standby stands still.
        expect(await view(gateway, 'rathaus', 'leserin-1')).toBe(true);
        await gateway.flushViews();
        const counted = `SELECT coalesce(sum(views), 0)::int AS views FROM ${schema()}.article_view_recent`;
        expect((await primary.query(counted)).rows[0].views).toBe(1);
        expect((await standby.query(counted)).rows[0].views).toBe(0);
      } finally {
        await resumeReplay();
      }
      await caughtUp();
      expect(await publicTitle()).toBe('Neu');
    });

    it('skips a stopped standby (reads answer from the primary) and reads from it again once it is back', async () => {
      expect(await retitle('Vorher')).toBe('Vorher');
      await caughtUp();
      await pauseReplay();
      expect(await retitle('Während')).toBe('Während');
      expect(await publicTitle()).toBe('Vorher');
      standbyScript('stop');
      const stoppedAt = Date.now();
      // Every public read answers, from the primary now; the outage is logged once.
      for (let i = 0; i < 20; i += 1) expect(await publicTitle()).toBe('Während');
      expect(logLines.filter(line => line.msg.startsWith('read replica unreachable'))).toHaveLength(
        1,
      );
      standbyScript('start');
      await standby.end().catch(() => undefined);
      await connectStandby();
      await caughtUp();
      await pauseReplay();
      expect(await retitle('Danach')).toBe('Danach');
      // Left out for the retry interval after its failure; after it, the standby answers again.
      await new Promise(resolve =>
        setTimeout(resolve, Math.max(0, stoppedAt + replicaRetryMs + 200 - Date.now())),
      );
      expect(await publicTitle()).toBe('Während');
      expect(logLines.filter(line => line.msg === 'read replica answers again')).toHaveLength(1);
      await resumeReplay();
      await caughtUp();
      expect(await publicTitle()).toBe('Danach');
    }, 90_000);

    it('measures the replication lag: from the commit on the primary to the row on the standby', async () => {
      await primary.query(`CREATE TABLE ${schema()}.lag_probe (n int PRIMARY KEY)`);
      await caughtUp();
      const lags: number[] = [];
      for (let n = 1; n <= 50; n += 1) {
        await primary.query(`INSERT INTO ${schema()}.lag_probe (n) VALUES ($1)`, [n]);
        const committed = performance.now();
        for (;;) {
          const { rowCount } = await standby.query(
            `SELECT 1 FROM ${schema()}.lag_probe WHERE n = $1`,
            [n],
          );
          if (rowCount === 1) break;
        }
        lags.push(performance.now() - committed);
      }
      lags.sort((a, b) => a - b);
      expect(lags).toHaveLength(50);
      console.log(
        `replication lag over 50 commits (commit answered on the primary -> row visible on the standby): p50 ${percentile(lags, 50).toFixed(2)} ms, p90 ${percentile(lags, 90).toFixed(2)} ms, max ${lags[49].toFixed(2)} ms`,
      );
    });
  });
}
