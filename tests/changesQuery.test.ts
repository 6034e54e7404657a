import fc from 'fast-check';
import { describeEachDatabase } from './helpers/databases';
import { bearer } from './helpers/editorial';
import { articleFile } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { createToken } from '../src/access/apiTokens';
import { announcePublications } from '../src/content/changes/announcePublications';
import { dialectOf, SqlParams } from '../src/db/dialect';
import { encodeGlobalId } from '../src/relay/globalId';

const changesQuery = /* GraphQL */ `
  query Changes($after: String, $first: Int) {
    changes(after: $after, first: $first) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          kind
          nodeId
          event
          article {
            id
            slug
            title
          }
          tag {
            id
            slug
            name
          }
          author {
            id
            slug
            name
          }
        }
      }
    }
  }
`;

const snapshotQuery = /* GraphQL */ `
  query Snapshot {
    changesCursor
    articles(first: 100) {
      edges {
        node {
          id
          slug
          title
        }
      }
    }
    tags(first: 100) {
      edges {
        node {
          id
          slug
          name
        }
      }
    }
    authors(first: 100) {
      edges {
        node {
          id
          slug
          name
        }
      }
    }
  }
`;

interface ChangeNode {
  kind: 'UPSERT' | 'DELETE';
  nodeId: string;
  event: string;
  article: { id: string; slug: string; title: string } | null;
  tag: { id: string; slug: string; name: string } | null;
  author: { id: string; slug: string; name: string } | null;
}
interface ChangesData {
  changes: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: ChangeNode }[];
  };
}
interface Named {
  id: string;
  slug: string;
  title?: string;
  name?: string;
}

/** What a consumer keeps: every public node by global id, as text to compare. */
type State = Map<string, string>;
const shown = (node: Named) => `${node.slug}|${node.title ?? node.name}`;

/** A consumer of the changes query: applies every page in order. */
class Consumer {
  readonly state: State = new Map();
  constructor(
    private readonly gateway: TestGateway,
    public cursor: string | null,
    private readonly counts = { upserts: 0, deletes: 0, published: 0 },
  ) {}

  /** Reads one page of `first`; returns whether more follow. */
  async page(first: number): Promise<boolean> {
    const response = await this.gateway.gql<ChangesData>(changesQuery, {
      after: this.cursor,
      first,
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const { edges, pageInfo } = response.body.data!.changes;
    const { counts } = this;
    for (const { node } of edges) {
      const value = node.article ?? node.tag ?? node.author;
      counts[node.kind === 'UPSERT' ? 'upserts' : 'deletes'] += 1;
      if (node.event === 'article.published') counts.published += 1;
      if (node.kind === 'UPSERT') this.state.set(node.nodeId, shown(value!));
      else this.state.delete(node.nodeId);
    }
    this.cursor = pageInfo.endCursor ?? this.cursor;
    return pageInfo.hasNextPage;
  }

  async all(first: number): Promise<void> {
    while (await this.page(first));
  }
}

/** The database's public state, read with SQL as the public reads decide it (at the clock). */
async function publicState(gateway: TestGateway): Promise<State> {
  const params = new SqlParams(dialectOf(gateway.db));
  const articles: { internal_id: unknown; slug: string; title: string }[] = await gateway.db.query(
    `SELECT internal_id, slug, title FROM article
     WHERE status = 'PUBLISHED' AND published_at <= ${params.add(gateway.clock().getTime())}`,
    params.values,
  );
  const state: State = new Map();
  for (const row of articles) {
    state.set(encodeGlobalId('Article', Number(row.internal_id)), `${row.slug}|${row.title}`);
  }
  for (const [table, type] of [
    ['tag', 'Tag'],
    ['author', 'Author'],
  ] as const) {
    const rows: { internal_id: unknown; slug: string; name: string }[] = await gateway.db.query(
      `SELECT internal_id, slug, name FROM ${table}`,
    );
    for (const row of rows) {
      state.set(encodeGlobalId(type, Number(row.internal_id)), `${row.slug}|${row.name}`);
    }
  }
  return state;
}

/** One step of a random history: a write through the API, the clock moving, or a consumer read. */
type Step =
  | { kind: 'create'; title: number; publish: boolean; tag: number | null }
  | { kind: 'publish'; pick: number; laterMinutes: number | null }
  | { kind: 'unpublish' | 'archive' | 'delete'; pick: number }
  | { kind: 'retitle'; pick: number; title: number }
  | { kind: 'reslug'; pick: number }
  | { kind: 'tag'; name: number }
  | { kind: 'renameTag'; pick: number; name: number }
  | { kind: 'advance'; minutes: number }
  | { kind: 'read'; first: number };

const pick = fc.nat(1000);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    title: fc.nat(5),
    publish: fc.boolean(),
    tag: fc.option(fc.nat(5)),
  }),
  fc.record({
    kind: fc.constant('publish' as const),
    pick,
    laterMinutes: fc.option(fc.integer({ min: 1, max: 30 })),
  }),
  fc.record({
    kind: fc.constantFrom('unpublish' as const, 'archive' as const, 'delete' as const),
    pick,
  }),
  fc.record({ kind: fc.constant('retitle' as const), pick, title: fc.nat(5) }),
  fc.record({ kind: fc.constant('reslug' as const), pick }),
  fc.record({ kind: fc.constant('tag' as const), name: fc.nat(50) }),
  fc.record({ kind: fc.constant('renameTag' as const), pick, name: fc.nat(50) }),
  fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('read' as const), first: fc.integer({ min: 1, max: 7 }) }),
);

const titles = ['Sternsinger', 'Adventmarkt', 'Krampuslauf', 'Perchten', 'Lichtmess', 'Fasching'];

describeEachDatabase('the changes query', dialect => {
  let gateway: TestGateway;
  let writer: string;
  let slugCounter = 0;
  // What the random histories did, so the property is known to exercise something.
  const seen = { writes: 0, upserts: 0, deletes: 0, published: 0 };

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    writer = await createToken(gateway.db, 'sync', ['content:write'], gateway.clock());
  });
  afterAll(() => gateway.close());

  async function write<T = Record<string, unknown>>(
    query: string,
    input: Record<string, unknown>,
  ): Promise<T | null> {
    const response = await gateway.gql<T>(query, { input }, bearer(writer));
    // A write refused (a slug taken, a stale revision) changes nothing: part of a random history.
    if (!response.body.errors) seen.writes += 1;
    return response.body.errors ? null : response.body.data!;
  }

  const payload = (name: string, input: string) => /* GraphQL */ `
    mutation ($input: ${input}!) {
      ${name}(input: $input) {
        revision
        article {
          id
        }
      }
    }
  `;

  it('brings a consumer that reads from the start exactly in sync', async () => {
    await gateway.importFiles([
      articleFile({ slug: 'erster', tags: ['brauchtum'], authors: ['anna'] }),
      articleFile({ slug: 'entwurf', status: 'draft' }),
    ]);
    const consumer = new Consumer(gateway, null);
    await consumer.all(2);
    expect(consumer.state).toEqual(await publicState(gateway));
    // The draft never shows: not as an upsert and not as a tombstone.
    const response = await gateway.gql<ChangesData>(changesQuery, { after: null, first: 50 });
    const slugs = response.body.data!.changes.edges.map(edge => edge.node.article?.slug);
    expect(slugs).not.toContain('entwurf');
    expect(response.body.data!.changes.edges.map(edge => edge.node.event)).toEqual([
      'author.created',
      'tag.created',
      'article.published',
    ]);
  });

  it('keeps a consumer exactly in sync through random histories of changes (seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 40 }), async steps => {
        // A new consumer: the cursor first, then everything public, then the changes after it.
        const snapshot = await gateway.gql<{
          changesCursor: string;
          articles: { edges: { node: Named }[] };
          tags: { edges: { node: Named }[] };
          authors: { edges: { node: Named }[] };
        }>(snapshotQuery);
        expect(snapshot.body.errors).toBeUndefined();
        const data = snapshot.body.data!;
        const consumer = new Consumer(gateway, data.changesCursor, seen);
        for (const { node } of [
          ...data.articles.edges,
          ...data.tags.edges,
          ...data.authors.edges,
        ]) {
          consumer.state.set(node.id, shown(node));
        }
        const articles: { id: string; revision: number }[] = [];
        const tags: string[] = [];
        const track = (
          result: Record<string, { revision: number; article: { id: string } }> | null,
        ) => {
          if (!result) return;
          const { revision, article } = Object.values(result)[0];
          const known = articles.find(entry => entry.id === article.id);
          if (known) known.revision = revision;
          else articles.push({ id: article.id, revision });
        };
        const chosen = (index: number) => articles[index % Math.max(1, articles.length)];
        for (const item of steps) {
          if (item.kind === 'create') {
            slugCounter += 1;
            const created = await write<
              Record<string, { revision: number; article: { id: string } }>
            >(payload('createArticle', 'CreateArticleInput'), {
              title: titles[item.title],
              slug: `artikel-${slugCounter}`,
              body: 'Ein Absatz.',
              tagIds: item.tag !== null && tags.length ? [tags[item.tag % tags.length]] : [],
            });
            track(created);
            if (created && item.publish) {
              track(
                await write(payload('publishArticle', 'PublishArticleInput'), {
                  id: created.createArticle.article.id,
                }),
              );
            }
          } else if (item.kind === 'publish' && articles.length) {
            const at =
              item.laterMinutes === null
                ? undefined
                : new Date(gateway.clock().getTime() + item.laterMinutes * 60_000).toISOString();
            track(
              await write(payload('publishArticle', 'PublishArticleInput'), {
                id: chosen(item.pick).id,
                at,
              }),
            );
          } else if ((item.kind === 'unpublish' || item.kind === 'archive') && articles.length) {
            track(
              await write(payload(`${item.kind}Article`, 'ArticleRefInput'), {
                id: chosen(item.pick).id,
              }),
            );
          } else if (item.kind === 'delete' && articles.length) {
            const target = chosen(item.pick);
            const deleted = await write(
              /* GraphQL */ `
                mutation ($input: ArticleRefInput!) {
                  deleteArticle(input: $input) {
                    deletedId
                  }
                }
              `,
              { id: target.id },
            );
            if (deleted) articles.splice(articles.indexOf(target), 1);
          } else if (item.kind === 'retitle' && articles.length) {
            const target = chosen(item.pick);
            track(
              await write(payload('updateArticle', 'UpdateArticleInput'), {
                id: target.id,
                expectedRevision: target.revision,
                title: `${titles[item.title]} ${slugCounter}`,
              }),
            );
          } else if (item.kind === 'reslug' && articles.length) {
            const target = chosen(item.pick);
            slugCounter += 1;
            track(
              await write(payload('updateArticle', 'UpdateArticleInput'), {
                id: target.id,
                expectedRevision: target.revision,
                slug: `neu-${slugCounter}`,
              }),
            );
          } else if (item.kind === 'tag') {
            slugCounter += 1;
            const created = await write<{ createTag: { tag: { id: string } } }>(
              /* GraphQL */ `
                mutation ($input: TagInput!) {
                  createTag(input: $input) {
                    tag {
                      id
                    }
                  }
                }
              `,
              { name: `Thema ${item.name}`, slug: `thema-${slugCounter}` },
            );
            if (created) tags.push(created.createTag.tag.id);
          } else if (item.kind === 'renameTag' && tags.length) {
            await write(
              /* GraphQL */ `
                mutation ($input: UpdateTagInput!) {
                  updateTag(input: $input) {
                    tag {
                      id
                    }
                  }
                }
              `,
              { id: tags[item.pick % tags.length], name: `Umbenannt ${item.name}` },
            );
          } else if (item.kind === 'advance') {
            gateway.clock.advance(item.minutes * 60_000);
            // The schedule's own timer would record these within a second; here at once.
            await announcePublications(gateway.db, gateway.clock());
          } else if (item.kind === 'read') {
            await consumer.page(item.first);
          }
        }
        await announcePublications(gateway.db, gateway.clock());
        await consumer.all(5);
        expect(consumer.state).toEqual(await publicState(gateway));
      }),
      { seed: 20261129, numRuns: 40, endOnFailure: true },
    );
    process.stdout.write(`[${dialect}] random histories: ${JSON.stringify(seen)}\n`);
    expect(seen.writes).toBeGreaterThan(300);
    expect(seen.deletes).toBeGreaterThan(10);
    expect(seen.published).toBeGreaterThan(10);
  }, 240_000);

  it('refuses a cursor older than the retention with BAD_USER_INPUT and resync', async () => {
    // Two changes: a consumer that saw only the first misses the second once it is pruned.
    await gateway.importFiles([
      articleFile({ slug: 'vor-der-frist' }),
      articleFile({ slug: 'auch-davor' }),
    ]);
    const first = await gateway.gql<ChangesData>(changesQuery, { after: null, first: 1 });
    const old = first.body.data!.changes.pageInfo.endCursor;
    gateway.clock.advance(31 * 86_400_000);
    await gateway.importFiles([articleFile({ slug: 'nach-der-frist' })]);
    // The feed prunes (hourly by the clock) what is older than CHANGE_RETENTION_DAYS (30).
    await gateway.gateway.changes.nudge();
    for (const after of [old, null]) {
      const response = await gateway.gql<ChangesData>(changesQuery, { after, first: 5 });
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/^resync: /),
        extensions: { code: 'BAD_USER_INPUT', field: 'after', resync: true },
      });
    }
    // From changesCursor on, the consumer continues.
    const cursor = (await gateway.gql<{ changesCursor: string }>('{ changesCursor }')).body.data!
      .changesCursor;
    const response = await gateway.gql<ChangesData>(changesQuery, { after: cursor, first: 5 });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.changes.edges).toEqual([]);
  });

  it('refuses a cursor it did not make', async () => {
    const response = await gateway.gql(changesQuery, { after: 'bm9wZQ', first: 5 });
    expect(response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
