import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createToken } from '../src/access/apiTokens';
import type { WebhookSettings } from '../src/config';
import { runBuiltCommand, startGatewayProcess, useBuiltGateway } from './helpers/builtGateway';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from './helpers/databases';
import {
  bearer,
  createArticleMutation,
  createDraft,
  publishArticleMutation,
} from './helpers/editorial';
import { articleSeries } from './helpers/fixtures';
import { statementsRun } from './helpers/statementsRun';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { view } from './helpers/views';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhookReceiver';
import type { ChangeEvent, ChangeEventType } from '../src/content/changes/changeEvent';
import { nextAttemptAt, retryDelayMs } from '../src/content/changes/webhooks/retrySchedule';
import { deliveryLog, type ReadChanges } from '../src/content/changes/webhooks/webhookDeliveries';
import {
  addEndpoint,
  listEndpoints,
  removeEndpoint,
  syncConfigEndpoints,
} from '../src/content/changes/webhooks/webhookEndpoints';
import {
  generateWebhookSecret,
  openWebhookSecret,
  sealWebhookSecret,
} from '../src/content/changes/webhooks/webhookSecret';
import { WebhookWorker } from '../src/content/changes/webhooks/webhookWorker';
import { createLogger } from '../src/ops/logger';

const example = path.join(__dirname, '..', 'docs', 'examples', 'webhookReceiver.mjs');

/** A change event as the outbox gives it, for the worker's tests before and beside the outbox. */
function articleEvent(
  id: number,
  at: Date,
  type: ChangeEventType = 'article.published',
  slug = `artikel-${id}`,
): ChangeEvent {
  return {
    id,
    version: 1,
    type,
    occurredAt: at.toISOString(),
    article: {
      id: Buffer.from(`Article:${id}`).toString('base64'),
      slug,
      previousSlug: null,
      locale: 'de',
      translationKey: null,
      translations: [],
      tags: [],
      authors: [],
      status: 'PUBLISHED',
      publishedAt: at.toISOString(),
      updatedAt: at.toISOString(),
    },
    keys: [`a${id}`, 'articles'],
  };
}

function tagEvent(id: number, at: Date): ChangeEvent {
  return {
    id,
    version: 1,
    type: 'tag.updated',
    occurredAt: at.toISOString(),
    tag: {
      id: Buffer.from(`Tag:${id}`).toString('base64'),
      slug: `thema-${id}`,
      previousSlug: null,
      name: `Thema ${id}`,
    },
    keys: [`t${id}`],
  };
}

/** A hand-made outbox: the events in commit order, read as readChangesAfter reads them. */
function handMadeOutbox() {
  const events: ChangeEvent[] = [];
  const readChanges: ReadChanges = async (afterId, limit) =>
    events.filter(event => event.id > afterId).slice(0, limit);
  return { events, readChanges };
}

async function counter(gateway: TestGateway, outcome: string): Promise<number> {
  const metric = await gateway.metrics.webhookAttempts.get();
  return metric.values.find(value => value.labels.outcome === outcome)?.value ?? 0;
}

describe('the retry schedule', () => {
  const settings = { retryBaseMs: 1000, retryMaxMs: 60_000, maxAttempts: 5, maxAgeMs: 3_600_000 };

  it('doubles the step after each failure, with half of it random, up to the cap', () => {
    expect(retryDelayMs(1, settings, () => 0)).toBe(500);
    expect(retryDelayMs(1, settings, () => 0.999999)).toBe(1000);
    expect(retryDelayMs(2, settings, () => 0)).toBe(1000);
    expect(retryDelayMs(4, settings, () => 0.5)).toBe(6000);
    expect(retryDelayMs(30, settings, () => 0)).toBe(30_000);
    expect(retryDelayMs(30, settings, () => 0.999999)).toBe(60_000);
  });

  it('gives up after the last attempt or past the max age', () => {
    expect(nextAttemptAt(4, 0, 10_000, settings, () => 0)).toBe(10_000 + 4000);
    expect(nextAttemptAt(5, 0, 10_000, settings, () => 0)).toBeNull();
    expect(nextAttemptAt(1, 0, 3_599_800, settings, () => 0)).toBeNull();
  });
});

describe('endpoint secrets', () => {
  const key = Buffer.alloc(32, 7);

  it('are whsec_ and 32 random bytes in base64, as Standard Webhooks writes them', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('are stored sealed with WEBHOOK_SECRET_KEY and open only with that key', () => {
    const secret = generateWebhookSecret();
    const stored = sealWebhookSecret(secret, key);
    expect(stored).not.toContain(secret.slice(6, 20));
    expect(openWebhookSecret(stored, key)).toBe(secret);
    expect(() => openWebhookSecret(stored, Buffer.alloc(32, 8))).toThrow(/another key/);
    expect(() => openWebhookSecret(stored, null)).toThrow(/WEBHOOK_SECRET_KEY/);
    expect(openWebhookSecret(sealWebhookSecret(secret, null), null)).toBe(secret);
  });
});

describeEachDatabase('webhooks from hand-made change events', dialect => {
  let gateway: TestGateway;
  let worker: WebhookWorker;
  const receivers: WebhookReceiver[] = [];
  const log = createLogger('silent');

  async function receiver(secret: string, answers?: (number | 'hang')[]) {
    const started = await startWebhookReceiver(secret, answers);
    receivers.push(started);
    return started;
  }

  function startWorker(readChanges: ReadChanges, settings: Partial<WebhookSettings> = {}) {
    worker = new WebhookWorker({
      db: gateway.db,
      readChanges,
      settings: { ...gateway.config.webhooks, ...settings },
      log,
      metrics: gateway.metrics,
      clock: gateway.clock,
    });
    return worker.start();
  }

  beforeEach(async () => {
    gateway = await startTestGateway(dialect);
    // These tests drive a worker of their own with hand-made events: the gateway's own feed and
    // worker stand still (no poll's statements, no second sender).
    await gateway.gateway.changes.stop();
    await gateway.gateway.webhooks.stop();
  });

  afterEach(async () => {
    await worker?.stop();
    await Promise.all(receivers.splice(0).map(started => started.close()));
    await gateway.close();
  });

  it('delivers a signed event that the standardwebhooks library verifies, its id as webhook-id', async () => {
    const added = await addEndpoint(
      gateway.db,
      { url: 'http://127.0.0.1:1/x', events: '*' },
      null,
      gateway.clock(),
    );
    await removeEndpoint(gateway.db, added.id);
    const secret = generateWebhookSecret();
    const target = await receiver(secret);
    const { id } = await addEndpoint(
      gateway.db,
      { url: target.url, events: 'article.*', secret },
      null,
      gateway.clock(),
    );
    const outbox = handMadeOutbox();
    await startWorker(outbox.readChanges);
    const event = articleEvent(1, gateway.clock());
    outbox.events.push(event);
    worker.onChange([event]);
    await target.waitFor(1);
    const [message] = target.received;
    expect(message.verifyError).toBeNull();
    expect(message.headers['webhook-id']).toBe('evt_1');
    expect(message.headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(message.headers['webhook-timestamp']) * 1000 - Date.now())).toBeLessThan(
      5000,
    );
    expect(message.verified).toEqual({
      type: 'article.published',
      timestamp: event.occurredAt,
      data: event,
    });
    // Another secret does not verify it: the signature is the endpoint's own.
    const other = await receiver(generateWebhookSecret());
    await fetch(other.url, { method: 'POST', headers: message.headers, body: message.body });
    expect(other.received[0].verifyError).toMatch(/No matching signature/);
    await worker.idle();
    const entries = await deliveryLog(gateway.db, id);
    expect(entries).toEqual([
      expect.objectContaining({
        eventId: 1,
        status: 'delivered',
        attempt: 1,
        statusCode: 204,
        error: null,
      }),
    ]);
    expect(await counter(gateway, 'delivered')).toBe(1);
  });

  it('reaches the README’s receiver (docs/examples/webhookReceiver.mjs), which verifies it', async () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    // The README shows the file from its first import (above it: lint globals and how to run it).
    const code = fs.readFileSync(example, 'utf8');
    expect(readme).toContain(`\`\`\`js\n${code.slice(code.indexOf('import '))}\`\`\``);
    const secret = generateWebhookSecret();
    const child = spawn(process.execPath, [example], {
      env: { ...process.env, WEBHOOK_SECRET: secret, PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines = readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const url = /listening on (\S+)/.exec(String((await lines.next()).value))?.[1];
      expect(url).toBeDefined();
      await addEndpoint(
        gateway.db,
        { url: url!.replace('localhost', '127.0.0.1'), events: '*', secret },
        null,
        gateway.clock(),
      );
      const outbox = handMadeOutbox();
      await startWorker(outbox.readChanges);
      outbox.events.push(articleEvent(7, gateway.clock(), 'article.updated', 'neue-wege'));
      worker.onChange(outbox.events);
      expect(JSON.parse(String((await lines.next()).value))).toEqual({
        id: 'evt_7',
        type: 'article.updated',
        slug: 'neue-wege',
      });
      await worker.idle();
      expect(await counter(gateway, 'delivered')).toBe(1);
    } finally {
      child.kill();
    }
  });

  it('sends nothing the change feed has not handed on (the caches first)', async () => {
    const secret = generateWebhookSecret();
    const target = await receiver(secret);
    await addEndpoint(gateway.db, { url: target.url, events: '*', secret }, null, gateway.clock());
    const outbox = handMadeOutbox();
    await startWorker(outbox.readChanges);
    outbox.events.push(articleEvent(1, gateway.clock()), articleEvent(2, gateway.clock()));
    worker.nudge();
    await worker.idle();
    expect(target.received).toHaveLength(0);
    worker.onChange([outbox.events[0]]);
    await target.waitFor(1);
    await worker.idle();
    expect(target.received.map(message => message.headers['webhook-id'])).toEqual(['evt_1']);
  });

  it('retries after a 500 with the same webhook-id and body, once the backoff has passed', async () => {
    const secret = generateWebhookSecret();
    const target = await receiver(secret, [500, 204]);
    const { id } = await addEndpoint(
      gateway.db,
      { url: target.url, events: '*', secret },
      null,
      gateway.clock(),
    );
    const outbox = handMadeOutbox();
    await startWorker(outbox.readChanges, { retryBaseMs: 10_000 });
    outbox.events.push(articleEvent(1, gateway.clock()));
    worker.onChange(outbox.events);
    await target.waitFor(1);
    await worker.idle();
    // Not due yet: the first retry waits 5 to 10 s (base 10 s, equal jitter) on the gateway's clock.
    gateway.clock.advance(4900);
    worker.nudge();
    await worker.idle();
    expect(target.received).toHaveLength(1);
    gateway.clock.advance(5200);
    worker.nudge();
    await target.waitFor(2);
    await worker.idle();
    const [first, second] = target.received;
    expect(second.verifyError).toBeNull();
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    const entries = await deliveryLog(gateway.db, id);
    expect(entries.map(entry => [entry.attempt, entry.statusCode, entry.status])).toEqual([
      [2, 204, 'delivered'],
      [1, 500, 'delivered'],
    ]);
    expect(entries[1].error).toBe('HTTP 500: receiver says no');
    expect(await counter(gateway, 'retrying')).toBe(1);
    expect(await counter(gateway, 'delivered')).toBe(1);
  });

  it('sends a delivery again, same webhook-id, when the process that claimed it stopped mid-send', async () => {
    const secret = generateWebhookSecret();
    const target = await receiver(secret, ['hang', 204]);
    await addEndpoint(gateway.db, { url: target.url, events: '*', secret }, null, gateway.clock());
    const outbox = handMadeOutbox();
    await startWorker(outbox.readChanges, { timeoutMs: 60_000 });
    outbox.events.push(articleEvent(1, gateway.clock()));
    worker.onChange(outbox.events);
    await target.waitFor(1);
    // The first process goes away with the request unanswered: nothing recorded, the claim stays.
    await worker.stop();
    await startWorker(outbox.readChanges, { timeoutMs: 60_000 });
    await worker.idle();
    expect(target.received).toHaveLength(1);
    // The claim's lease (twice the timeout and a second) runs out: the next process sends it.
    gateway.clock.advance(121_000);
    worker.nudge();
    await target.waitFor(2);
    await worker.idle();
    expect(target.received.map(message => message.headers['webhook-id'])).toEqual([
      'evt_1',
      'evt_1',
    ]);
    expect(target.received[1].verifyError).toBeNull();
    expect(await counter(gateway, 'delivered')).toBe(1);
  });

  it('gives a delivery up after WEBHOOK_MAX_ATTEMPTS', async () => {
    const secret = generateWebhookSecret();
    const target = await receiver(secret, [503]);
    const { id } = await addEndpoint(
      gateway.db,
      { url: target.url, events: '*', secret },
      null,
      gateway.clock(),
    );
    const outbox = handMadeOutbox();
    await startWorker(outbox.readChanges, { retryBaseMs: 1000, maxAttempts: 3 });
    outbox.events.push(articleEvent(1, gateway.clock()));
    worker.onChange(outbox.events);
    for (let attempt = 1; attempt <= 4; attempt++) {
      await worker.idle();
      gateway.clock.advance(10_000);
      worker.nudge();
    }
    await worker.idle();
    expect(target.received).toHaveLength(3);
    const entries = await deliveryLog(gateway.db, id);
    expect(entries[0]).toMatchObject({ attempt: 3, status: 'failed', statusCode: 503 });
    expect(await counter(gateway, 'failed')).toBe(1);
    expect(await counter(gateway, 'retrying')).toBe(2);
  });

  it('sends each endpoint only the events it asked for, from its creation on', async () => {
    const outbox = handMadeOutbox();
    const early = articleEvent(1, gateway.clock());
    outbox.events.push(early);
    gateway.clock.advance(1000);
    const articleSecret = generateWebhookSecret();
    const tagSecret = generateWebhookSecret();
    const articles = await receiver(articleSecret);
    const tags = await receiver(tagSecret);
    await addEndpoint(
      gateway.db,
      { url: articles.url, events: 'article.updated,article.deleted', secret: articleSecret },
      null,
      gateway.clock(),
    );
    await addEndpoint(
      gateway.db,
      { url: tags.url, events: 'tag.*', secret: tagSecret },
      null,
      gateway.clock(),
    );
    await startWorker(outbox.readChanges);
    outbox.events.push(
      articleEvent(2, gateway.clock(), 'article.updated'),
      tagEvent(3, gateway.clock()),
      articleEvent(4, gateway.clock(), 'article.published'),
      articleEvent(5, gateway.clock(), 'article.deleted'),
    );
    worker.onChange(outbox.events);
    await articles.waitFor(2);
    await tags.waitFor(1);
    await worker.idle();
    expect(articles.received.map(message => message.headers['webhook-id']).sort()).toEqual([
      'evt_2',
      'evt_5',
    ]);
    expect(tags.received.map(message => message.verified?.type)).toEqual(['tag.updated']);
  });

  it('sends a later endpoint nothing of what changed before it was added, and costs no SQL without one', async () => {
    const outbox = handMadeOutbox();
    await startWorker(outbox.readChanges);
    outbox.events.push(articleEvent(1, gateway.clock()), articleEvent(2, gateway.clock()));
    worker.onChange(outbox.events);
    await worker.idle();
    gateway.clock.advance(1000);
    const secret = generateWebhookSecret();
    const target = await receiver(secret);
    // Added as the command adds it (another process): no change costs a statement until the
    // empty list is a minute old; then the new endpoint is seen and gets what came after it.
    await addEndpoint(gateway.db, { url: target.url, events: '*', secret }, null, gateway.clock());
    const before = await statementsRun(gateway);
    outbox.events.push(articleEvent(3, gateway.clock()));
    worker.onChange(outbox.events.slice(2));
    await worker.idle();
    expect(target.received).toHaveLength(0);
    expect(await statementsRun(gateway)).toBe(before);
    gateway.clock.advance(60_000);
    outbox.events.push(articleEvent(4, gateway.clock()));
    worker.onChange(outbox.events.slice(3));
    await target.waitFor(2);
    await worker.idle();
    expect(target.received.map(message => message.headers['webhook-id'])).toEqual([
      'evt_3',
      'evt_4',
    ]);
  });

  it('prunes finished deliveries and their log after WEBHOOK_LOG_RETENTION_DAYS', async () => {
    const secret = generateWebhookSecret();
    const target = await receiver(secret);
    const { id } = await addEndpoint(
      gateway.db,
      { url: target.url, events: '*', secret },
      null,
      gateway.clock(),
    );
    const outbox = handMadeOutbox();
    await startWorker(outbox.readChanges, { logRetentionMs: 86_400_000 });
    outbox.events.push(articleEvent(1, gateway.clock()));
    worker.onChange(outbox.events);
    await target.waitFor(1);
    await worker.idle();
    expect(await deliveryLog(gateway.db, id)).toHaveLength(1);
    gateway.clock.advance(86_400_000 + 3_600_000);
    outbox.events.push(articleEvent(2, gateway.clock()));
    worker.onChange(outbox.events.slice(1));
    await target.waitFor(2);
    await worker.idle();
    expect((await deliveryLog(gateway.db, id)).map(entry => entry.eventId)).toEqual([2]);
  });

  it('signs the WEBHOOKS setting’s endpoints with the setting’s secret, kept out of the database', async () => {
    const secret = generateWebhookSecret();
    const target = await receiver(secret);
    const outbox = handMadeOutbox();
    await startWorker(outbox.readChanges, {
      endpoints: [{ url: target.url, events: ['article.*'], secret }],
    });
    const [endpoint] = await listEndpoints(gateway.db);
    expect(endpoint).toMatchObject({
      url: target.url,
      events: ['article.*'],
      storedSecret: null,
      configKey: target.url,
    });
    outbox.events.push(articleEvent(1, gateway.clock()));
    worker.onChange(outbox.events);
    await target.waitFor(1);
    expect(target.received[0].verifyError).toBeNull();
    // A restart with the entry changed updates its row; without it the row goes.
    await syncConfigEndpoints(
      gateway.db,
      [{ url: target.url, events: ['tag.*'], secret }],
      gateway.clock(),
    );
    expect((await listEndpoints(gateway.db)).map(row => [row.id, row.events])).toEqual([
      [endpoint.id, ['tag.*']],
    ]);
    await syncConfigEndpoints(gateway.db, [], gateway.clock());
    expect(await listEndpoints(gateway.db)).toEqual([]);
  });

  it('keeps recordView, the view flush and writes as fast with an endpoint that never answers', async () => {
    await gateway.importFiles(articleSeries(3));
    const token = await createToken(gateway.db, 'editor', ['content:write'], gateway.clock());
    const timings = async (label: string) => {
      const views: number[] = [];
      for (let index = 0; index < 20; index++) {
        const started = performance.now();
        await view(gateway, 'serie-001', `leser-${label}-${index}`);
        views.push(performance.now() - started);
      }
      let started = performance.now();
      await gateway.flushViews();
      const flush = performance.now() - started;
      started = performance.now();
      await createDraft(gateway, token, { title: `Entwurf ${label}`, slug: `entwurf-${label}` });
      const write = performance.now() - started;
      views.sort((a, b) => a - b);
      return { viewMedian: views[10], viewMax: views[19], flush, write };
    };
    await timings('warm');
    const before = await timings('before');

    const secret = generateWebhookSecret();
    const dead = await receiver(secret, ['hang']);
    await addEndpoint(gateway.db, { url: dead.url, events: '*', secret }, null, gateway.clock());
    const outbox = handMadeOutbox();
    await startWorker(outbox.readChanges, { timeoutMs: 5000, concurrency: 2 });
    for (let id = 1; id <= 50; id++) outbox.events.push(articleEvent(id, gateway.clock()));
    worker.onChange(outbox.events);
    await dead.waitFor(2);
    const during = await timings('during');
    console.log(
      `[${dialect}] dead endpoint: before ${JSON.stringify(before)}, during ${JSON.stringify(during)}`,
    );
    // Two in flight at most (WEBHOOK_CONCURRENCY), however many events wait.
    expect(dead.received).toHaveLength(2);
    expect(during.viewMedian).toBeLessThan(before.viewMedian * 3 + 20);
    expect(during.viewMax).toBeLessThan(1000);
    expect(during.flush).toBeLessThan(before.flush * 3 + 50);
    expect(during.write).toBeLessThan(before.write * 3 + 50);
  });
});

describe('npm run webhooks', () => {
  const { build } = useBuiltGateway();
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterEach(() => database.drop());

  const run = (args: string[], env: Record<string, string> = {}) =>
    runBuiltCommand(build(), 'webhooks', args, { ...database.env, ...env });

  it('adds, lists and removes endpoints; the secret is printed once and never listed', () => {
    const key = Buffer.alloc(32, 3).toString('base64');
    const added = run(
      ['add', 'https://hooks.example.com/cms', '--events', 'article.*,tag.updated'],
      {
        WEBHOOK_SECRET_KEY: key,
      },
    );
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    const secret = added.stdout.trim().split('\n').pop()!;
    expect(secret).toMatch(/^whsec_/);
    expect(added.stdout).toContain(
      'Added webhook endpoint 1: https://hooks.example.com/cms for article.*,tag.updated.',
    );
    const listed = run(['list']);
    expect(listed.stdout).toMatch(
      /^1\thttps:\/\/hooks\.example\.com\/cms\tarticle\.\*,tag\.updated\tcommand, secret sealed\t/,
    );
    expect(listed.stdout).not.toContain(secret.slice(6));
    expect(run(['deliveries', '1']).stdout).toBe('No deliveries for endpoint 1.\n');
    expect(run(['remove', '1']).stdout).toContain('Removed webhook endpoint 1');
    expect(run(['list']).stdout).toBe('No webhook endpoints.\n');
  });

  it('refuses an unknown event, a bad secret, and production without WEBHOOK_SECRET_KEY', () => {
    const typo = run(['add', 'https://hooks.example.com/', '--events', 'article.publish']);
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain('got "article.publish"');
    const secret = run([
      'add',
      'https://hooks.example.com/',
      '--events',
      '*',
      '--secret',
      'hunter2',
    ]);
    expect(secret.status).toBe(1);
    expect(secret.stderr).toContain('expected a secret such as whsec_');
    const production = run(['add', 'https://hooks.example.com/', '--events', '*'], {
      NODE_ENV: 'production',
    });
    expect(production.status).toBe(1);
    expect(production.stderr).toContain('set WEBHOOK_SECRET_KEY');
    expect(run(['list']).stdout).toBe('No webhook endpoints.\n');
  });
});

describeEachDatabase('webhooks of real changes through the gateway', dialect => {
  let gateway: TestGateway;
  let target: WebhookReceiver;
  const secret = generateWebhookSecret();

  afterEach(async () => {
    await gateway?.close();
    await target?.close();
  });

  let lastCacheHeader: string | null = null;
  /** The article's public title by a token-less GET (what the response cache keeps), or null. */
  async function publicTitle(): Promise<string | null> {
    const search = new URLSearchParams({
      query: 'query Fresh($slug: String!) { article(slug: $slug) { id title } }',
      variables: JSON.stringify({ slug: 'neue-wege' }),
    });
    const response = await fetch(`${gateway.url}/graphql?${search}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    lastCacheHeader = response.headers.get('x-cache');
    const body = (await response.json()) as { data: { article: { title: string } | null } };
    return body.data.article?.title ?? null;
  }

  async function start(
    answers: (number | 'hang')[],
    env: Record<string, string> = {},
    onRequest?: Parameters<typeof startWebhookReceiver>[2],
  ) {
    target = await startWebhookReceiver(secret, answers, onRequest);
    gateway = await startTestGateway(dialect, {
      env: {
        WEBHOOKS: JSON.stringify([{ url: target.url, events: 'article.*', secret }]),
        ...env,
      },
    });
    return createToken(gateway.db, 'editor', ['content:write'], gateway.clock());
  }

  it('sends an editorial write’s event, signed, as soon as it commits', async () => {
    // The consumer refetches through the response cache as soon as it is told, before answering.
    const refetched: unknown[] = [];
    const token = await start([204], { RESPONSE_CACHE: 'true' }, async message => {
      if (message.verified?.type === 'article.published') refetched.push(await publicTitle());
    });
    const draft = await createDraft(gateway, token, { title: 'Neue Wege', slug: 'neue-wege' });
    // A public GET for the draft's slug answers null, and the response cache keeps that answer.
    expect(await publicTitle()).toBeNull();
    expect(await publicTitle()).toBeNull();
    expect(lastCacheHeader).toBe('HIT');
    const sentAt = Date.now();
    const published = await gateway.gql(
      publishArticleMutation,
      { input: { id: draft.id } },
      bearer(token),
    );
    expect(published.body.errors).toBeUndefined();
    const answeredIn = Date.now() - sentAt;
    const isPublish = (message: { verified: { type: string } | null }) =>
      message.verified?.type === 'article.published';
    // The draft's own event may have come first: wait for the publish's.
    for (let count = 1; !target.received.some(isPublish); count++) await target.waitFor(count);
    const arrival = target.received.find(isPublish)!.receivedAt - sentAt;
    console.log(
      `[${dialect}] publishArticle sent -> answered ${answeredIn} ms, -> webhook received ${arrival} ms`,
    );
    await gateway.gateway.webhooks.idle();
    const messages = target.received.filter(
      message => message.verified?.type === 'article.published',
    );
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message.verifyError).toBeNull();
    expect(message.headers['webhook-id']).toBe(`evt_${message.verified!.data.id}`);
    expect(message.verified!.data).toMatchObject({
      version: 1,
      type: 'article.published',
      article: { id: draft.id, slug: 'neue-wege', status: 'PUBLISHED' },
    });
    // The consumer that refetched at once saw the change: the cached null was dropped first.
    expect(refetched).toEqual(['Neue Wege']);
  });

  it('keeps writes and recordView as fast when the endpoint never answers', async () => {
    const token = await start(['hang'], { WEBHOOK_TIMEOUT_MS: '5000', WEBHOOK_CONCURRENCY: '2' });
    await gateway.importFiles(articleSeries(2));
    const times = async (label: string, count: number) => {
      const writes: number[] = [];
      const views: number[] = [];
      for (let index = 0; index < count; index++) {
        let started = performance.now();
        await createDraft(gateway, token, {
          title: `${label} ${index}`,
          slug: `${label}-${index}`,
        });
        writes.push(performance.now() - started);
        started = performance.now();
        await view(gateway, 'serie-001', `${label}-${index}`);
        views.push(performance.now() - started);
      }
      const median = (values: number[]) =>
        values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
      return { write: median(writes), view: median(views) };
    };
    // Drafts are article events too; the first ones fill the endpoint's two slots.
    const first = await times('warm', 5);
    await target.waitFor(2);
    const during = await times('during', 20);
    console.log(
      `[${dialect}] gateway with a dead endpoint: first ${JSON.stringify(first)}, with 2 hanging and the rest queued ${JSON.stringify(during)}`,
    );
    expect(target.received).toHaveLength(2);
    expect(during.write).toBeLessThan(first.write * 3 + 20);
    expect(during.view).toBeLessThan(first.view * 3 + 20);
  });
});

describeEachDatabase('webhooks when the gateway is killed', dialect => {
  const { build } = useBuiltGateway();
  let database: TestDatabase;
  let target: WebhookReceiver;
  let child: ChildProcess | null = null;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    await target?.close();
    await database.drop();
  });

  it('delivers after a SIGKILL between the change and the answer, with the same webhook-id', async () => {
    const secret = generateWebhookSecret();
    // The first request is never answered: the gateway dies with the delivery unacknowledged.
    target = await startWebhookReceiver(secret, ['hang', 204]);
    const env = {
      ...database.env,
      HOST: '127.0.0.1',
      PORT: '0',
      DEMO_CONTENT: 'false',
      // The ready line the helper waits for is an info line.
      LOG_LEVEL: 'info',
      RATE_LIMIT_ENABLED: 'false',
      WEBHOOKS: JSON.stringify([{ url: target.url, events: 'article.published', secret }]),
      // A claim's lease is twice this and a second: 3 s.
      WEBHOOK_TIMEOUT_MS: '1000',
    };
    let started = await startGatewayProcess(build(), env);
    child = started.child;
    const created = runBuiltCommand(
      build(),
      'token',
      ['create', '--name', 'editor', '--scope', 'content:write'],
      env,
    );
    expect(created.status).toBe(0);
    const token = created.stdout.trim().split('\n').pop()!;
    const gql = async (port: number, query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(token) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as {
        data?: Record<string, { article: { id: string } }>;
        errors?: unknown;
      };
    };
    const draft = await gql(started.port, createArticleMutation, {
      input: { title: 'Überlebt', slug: 'ueberlebt', body: 'Ein Absatz.' },
    });
    expect(draft.errors).toBeUndefined();
    const published = await gql(started.port, publishArticleMutation, {
      input: { id: draft.data!.createArticle.article.id },
    });
    expect(published.errors).toBeUndefined();
    await target.waitFor(1);
    const exited = new Promise(resolve => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();

    started = await startGatewayProcess(build(), env);
    child = started.child;
    await target.waitFor(2, 15_000);
    const [first, second] = target.received;
    console.log(
      `[${dialect}] after SIGKILL: delivered again ${Date.now() - killedAt} ms after the kill (lease 3 s), ${second.headers['webhook-id']}`,
    );
    expect(first.verifyError).toBeNull();
    expect(second.verifyError).toBeNull();
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    expect(second.verified?.data).toMatchObject({
      type: 'article.published',
      article: { slug: 'ueberlebt' },
    });
  });
});
