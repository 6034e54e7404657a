import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { useBuiltGateway } from './helpers/builtGateway';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from './helpers/databases';
import { bearer, createDraft, publishArticleMutation } from './helpers/editorial';
import { articleFile } from './helpers/fixtures';
import { testClock } from './helpers/testClock';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { createToken } from '../src/access/apiTokens';
import { loadConfig } from '../src/config';
import type { ChangeEvent } from '../src/content/changes/changeEvent';
import { contentTransaction } from '../src/content/changes/contentTransaction';
import { outboxPosition, readChangesAfter } from '../src/content/changes/readChanges';
import { recordChange } from '../src/content/changes/recordChange';
import { importContent } from '../src/content/import/contentImport';
import { createDataSource, openDataSource } from '../src/db/createDataSource';
import { createGateway } from '../src/gateway';
import { decodeGlobalId } from '../src/relay/globalId';

const { build } = useBuiltGateway();
const silent = pino({ level: 'silent' });
const internal = (id: string) => decodeGlobalId(id)!.internalId;

const mutation = (name: string, input: string) => /* GraphQL */ `
  mutation ($input: ${input}!) {
    ${name}(input: $input) {
      __typename
    }
  }
`;
const updateArticle = /* GraphQL */ `
  mutation ($input: UpdateArticleInput!) {
    updateArticle(input: $input) {
      revision
    }
  }
`;
const createTag = /* GraphQL */ `
  mutation ($input: TagInput!) {
    createTag(input: $input) {
      tag {
        id
      }
    }
  }
`;
const createAuthor = /* GraphQL */ `
  mutation ($input: AuthorInput!) {
    createAuthor(input: $input) {
      author {
        id
      }
    }
  }
`;

async function eventsAfter(db: DataSource, after: number): Promise<ChangeEvent[]> {
  return readChangesAfter(db, after, 100);
}

async function latest(db: DataSource): Promise<number> {
  return (await outboxPosition(db)).latestId;
}

/** Waits (real time, at most `ms`) until `check` holds. */
async function until(check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

describeEachDatabase('change events', dialect => {
  let gateway: TestGateway;
  let writer: string;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, { env: { CHANGE_POLL_MS: '1000' } });
    writer = await createToken(gateway.db, 'redaktion', ['content:write'], gateway.clock());
  });
  afterAll(() => gateway.close());

  async function send(query: string, input: Record<string, unknown>) {
    const response = await gateway.gql<Record<string, unknown>>(query, { input }, bearer(writer));
    expect(response.body.errors).toBeUndefined();
    return response.body.data!;
  }

  it('records one event per editorial write, in its order, with the keys it invalidates', async () => {
    const start = await latest(gateway.db);
    const tag = (
      (await send(createTag, { name: 'Brauchtum' })).createTag as { tag: { id: string } }
    ).tag.id;
    const author = (
      (await send(createAuthor, { name: 'Anna Berger' })).createAuthor as { author: { id: string } }
    ).author.id;
    const draft = await createDraft(gateway, writer, {
      title: 'Sternsinger',
      slug: 'sternsinger',
      tagIds: [tag],
      authorIds: [author],
    });
    const a = internal(draft.id);
    await send(publishArticleMutation, { id: draft.id });
    await send(updateArticle, { id: draft.id, expectedRevision: 2, slug: 'sternsinger-2026' });
    await send(mutation('unpublishArticle', 'ArticleRefInput'), { id: draft.id });
    await send(mutation('deleteArticle', 'ArticleRefInput'), { id: draft.id });

    const events = await eventsAfter(gateway.db, start);
    expect(events.map(event => event.type)).toEqual([
      'tag.created',
      'author.created',
      'article.updated',
      'article.published',
      'article.updated',
      'article.unpublished',
      'article.deleted',
    ]);
    const ids = events.map(event => event.id);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    const [tagEvent, , created, published, moved, unpublished, deleted] = events;
    expect(tagEvent).toMatchObject({
      version: 1,
      tag: { id: tag, slug: 'brauchtum', previousSlug: null, name: 'Brauchtum' },
      keys: [`t${internal(tag)}`, 'feeds'],
    });
    // A draft nobody public saw: only its own key.
    expect(created.keys).toEqual([`a${a}`]);
    expect(published).toMatchObject({
      version: 1,
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      article: {
        id: draft.id,
        slug: 'sternsinger',
        previousSlug: null,
        locale: draft.locale,
        translationKey: null,
        translations: [],
        tags: [tag],
        authors: [author],
        status: 'PUBLISHED',
        publishedAt: expect.any(String),
        updatedAt: expect.any(String),
      },
    });
    const publicKeys = (slugs: string[]) =>
      expect.arrayContaining([
        `a${a}`,
        ...slugs.map(slug => `s:${slug}`),
        'articles',
        `t${internal(tag)}`,
        `u${internal(author)}`,
        'mostread',
        'feeds',
      ]);
    expect(published.keys).toEqual(publicKeys(['sternsinger']));
    expect(moved.article).toMatchObject({ slug: 'sternsinger-2026', previousSlug: 'sternsinger' });
    expect(moved.keys).toEqual(publicKeys(['sternsinger', 'sternsinger-2026']));
    expect(unpublished.article).toMatchObject({ status: 'DRAFT' });
    expect(unpublished.keys).toEqual(publicKeys(['sternsinger-2026']));
    // A draft deleted: nothing public changes.
    expect(deleted.article).toMatchObject({ id: draft.id, slug: 'sternsinger-2026' });
    expect(deleted.keys).toEqual([`a${a}`]);
  });

  it('records nothing for a write that changes nothing', async () => {
    const tag = ((await send(createTag, { name: 'Gleich' })).createTag as { tag: { id: string } })
      .tag.id;
    const start = await latest(gateway.db);
    await send(mutation('updateTag', 'UpdateTagInput'), { id: tag, name: 'Gleich' });
    expect(await eventsAfter(gateway.db, start)).toEqual([]);
    await send(mutation('updateTag', 'UpdateTagInput'), { id: tag, name: 'Anders' });
    expect((await eventsAfter(gateway.db, start)).map(event => event.type)).toEqual([
      'tag.updated',
    ]);
  });

  it('records no event for a change that rolled back', async () => {
    await gateway.importFiles([
      articleFile({ slug: 'vorhanden' }),
      articleFile({ slug: 'zweiter' }),
    ]);
    const start = await latest(gateway.db);
    // saveArticle writes the changed article and its event; the earlier slug taken by another
    // article fails the file after that, and its transaction rolls back with the event in it.
    const file = articleFile({ slug: 'zweiter', title: 'Neuer Titel' });
    file.text = file.text.replace('slug: zweiter', 'slug: zweiter\npreviousSlugs: [vorhanden]');
    const report = await importContent(gateway.db, [file], gateway.clock());
    expect(report.problems).toHaveLength(1);
    expect(await eventsAfter(gateway.db, start)).toEqual([]);
    // The same, in a hand-made transaction that fails after recording.
    await expect(
      contentTransaction(gateway.db, async manager => {
        await recordChange(manager, {
          type: 'tag.updated',
          occurredAt: new Date().toISOString(),
          tag: { id: 'x', slug: 'x', previousSlug: null, name: 'x' },
          keys: [],
          subject: { type: 'Tag', id: 1 },
          publicChange: true,
        });
        throw new Error('failed after the event');
      }),
    ).rejects.toThrow('failed after the event');
    expect(await eventsAfter(gateway.db, start)).toEqual([]);
  });

  it('tells listeners in registration order, also of changes another process made', async () => {
    // What earlier tests imported (with no nudge) is delivered first.
    await gateway.gateway.changes.nudge();
    const calls: string[] = [];
    const first = gateway.gateway.changes.onChange(events => {
      calls.push(...events.map(event => `cache:${event.article?.slug}`));
    });
    const second = gateway.gateway.changes.onChange(events => {
      calls.push(...events.map(event => `webhooks:${event.article?.slug}`));
    });
    try {
      // Another process: its own DataSource on the same database, as `npm run content:import`.
      const other = createDataSource(gateway.config.database, { log: silent });
      await openDataSource(other, false);
      try {
        await importContent(other, [articleFile({ slug: 'von-aussen' })], gateway.clock());
      } finally {
        await other.destroy();
      }
      // Seen by the poll (CHANGE_POLL_MS, 1 s by default) with no nudge.
      await until(() => calls.length === 2, 3000);
      expect(calls).toEqual(['cache:von-aussen', 'webhooks:von-aussen']);
    } finally {
      first();
      second();
    }
  });

  it('keeps the event of a write whose process was killed right after it committed', async () => {
    const start = await latest(gateway.db);
    const dist = build();
    const script = `
      const { loadConfig } = require(${JSON.stringify(path.join(dist, 'config.js'))});
      const { createDataSource, openDataSource } = require(${JSON.stringify(path.join(dist, 'db/createDataSource.js'))});
      const { importContent } = require(${JSON.stringify(path.join(dist, 'content/import/contentImport.js'))});
      (async () => {
        const config = loadConfig(process.env);
        const db = createDataSource(config.database, { log: require('pino')({ level: 'silent' }) });
        await openDataSource(db, false);
        const file = JSON.parse(process.env.FILE);
        const report = await importContent(db, [file], new Date());
        if (report.problems.length) process.exit(3);
        process.kill(process.pid, 'SIGKILL');
      })();`;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      NODE_PATH: path.resolve(__dirname, '../node_modules'),
      FILE: JSON.stringify(articleFile({ slug: 'hart-beendet' })),
    };
    const url = gateway.config.database.url;
    if (gateway.config.database.type === 'postgres') {
      Object.assign(env, { DATABASE_URL: url, DATABASE_SCHEMA: gateway.config.database.schema });
    } else {
      Object.assign(env, { DATABASE_URL: url });
    }
    // From a file, not `node -e`: typeorm's app-root-path reads process.argv[1], which -e leaves unset.
    const scriptFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'killed-')), 'write.js');
    fs.writeFileSync(scriptFile, script);
    const child = spawnSync(process.execPath, [scriptFile], { env, encoding: 'utf8' });
    // The child's own failure (exit 3: the import refused the file), where it did not get that far.
    expect(
      `${child.signal ?? `exit ${child.status}`} ${child.signal ? '' : child.stderr}`.trim(),
    ).toBe('SIGKILL');
    const events = await eventsAfter(gateway.db, start);
    expect(events.map(event => [event.type, event.article?.slug])).toEqual([
      ['article.published', 'hart-beendet'],
    ]);
  });
});

describeEachDatabase('scheduled publication events', dialect => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(() => database.drop());

  const config = () =>
    loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_CONTENT: 'false', ...database.env });

  async function published(db: DataSource, slug: string): Promise<ChangeEvent[]> {
    return (await eventsAfter(db, 0)).filter(
      event => event.type === 'article.published' && event.article?.slug === slug,
    );
  }

  it('records article.published once when the time passes, with two replicas on the database', async () => {
    const clock = testClock('2026-11-29T12:00:00.000Z');
    const one = await createGateway(config(), { clock, log: silent });
    const two = await createGateway(config(), { clock, log: silent });
    try {
      await importContent(
        one.db,
        [articleFile({ slug: 'geplant', date: '2026-11-29T12:02:00Z' })],
        clock(),
      );
      const [scheduled] = (await eventsAfter(one.db, 0)).filter(
        event => event.article?.slug === 'geplant',
      );
      // Not public yet: an update, and not a public change.
      expect(scheduled.type).toBe('article.updated');
      await Promise.all([one.publications.changed(), two.publications.changed()]);
      clock.set('2026-11-29T12:02:00.500Z');
      // Both schedules notice within their 1 s recheck and both try to announce it.
      await until(async () => (await published(one.db, 'geplant')).length > 0);
      await new Promise(resolve => setTimeout(resolve, 1500));
      await Promise.all([one.publications.changed(), two.publications.changed()]);
      expect(await published(one.db, 'geplant')).toHaveLength(1);
    } finally {
      await one.stop();
      await two.stop();
    }
  });

  it('records at start a scheduled time that passed while no gateway ran, once', async () => {
    const clock = testClock('2026-11-29T13:00:00.000Z');
    const before = await createGateway(config(), { clock, log: silent });
    await importContent(
      before.db,
      [articleFile({ slug: 'nachts', date: '2026-11-29T14:00:00Z' })],
      clock(),
    );
    await before.stop();
    clock.set('2026-11-29T15:00:00.000Z');
    for (let start = 0; start < 2; start += 1) {
      const after = await createGateway(config(), { clock, log: silent });
      try {
        expect(await published(after.db, 'nachts')).toHaveLength(1);
      } finally {
        await after.stop();
      }
    }
  });

  if (dialect === 'postgres') {
    it('numbers events in commit order: a later writer waits for an earlier one to commit', async () => {
      const settings = config().database;
      const a = createDataSource(settings, { log: silent });
      const b = createDataSource(settings, { log: silent });
      await openDataSource(a, true);
      await openDataSource(b, false);
      try {
        const start = await latest(a);
        const draft = (name: string) => ({
          type: 'tag.updated' as const,
          occurredAt: new Date().toISOString(),
          tag: { id: name, slug: name, previousSlug: null, name },
          keys: [],
          subject: { type: 'Tag' as const, id: 1 },
          publicChange: true,
        });
        let release!: () => void;
        const held = new Promise<void>(resolve => (release = resolve));
        let recorded!: () => void;
        const firstRecorded = new Promise<void>(resolve => (recorded = resolve));
        // A records first (the lower id) and commits late; B records and commits meanwhile.
        const first = contentTransaction(a, async manager => {
          await recordChange(manager, draft('first'));
          recorded();
          await held;
        });
        await firstRecorded;
        const second = contentTransaction(b, manager => recordChange(manager, draft('second')));
        await new Promise(resolve => setTimeout(resolve, 300));
        // A reader now must not see B's higher id while A's lower one is still uncommitted.
        expect(await eventsAfter(a, start)).toEqual([]);
        release();
        await Promise.all([first, second]);
        const names = (await eventsAfter(a, start)).map(event => event.tag?.name);
        expect(names).toEqual(['first', 'second']);
      } finally {
        await a.destroy();
        await b.destroy();
      }
    });
  }
});
