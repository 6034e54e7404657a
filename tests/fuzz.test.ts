import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describeEachDatabase } from './helpers/databases';
import { articleFile, articleSeries } from './helpers/fixtures';
import { type TestGateway, startTestGateway } from './helpers/testGateway';
import { browserAgent } from './helpers/views';
import { createToken } from '../src/access/apiTokens';

/** One place a client-chosen string or ID goes into the contract. */
interface Target {
  name: string;
  request(value: string): { query: string; variables: Record<string, unknown> };
}

const page = '{ edges { cursor node { id slug title } } pageInfo { endCursor } }';
const viewAnswer = '{ counted reason article { slug } }';

/** A preview link's shape (cgp_<n>.<n>.<43 characters>) around a signature that is not one. */
const linkShaped = (v: string) =>
  `cgp_9.4102444800.${createHash('sha256').update(v).digest('base64url')}`;

const targets: Target[] = [
  // Preview (README "Preview"): a draft opens only with a valid link, which no fuzzed string is.
  {
    name: 'preview: article(slug, previewToken) of a draft',
    request: v => ({
      query: 'query($v: String) { article(slug: "entwurf", previewToken: $v) { id title body } }',
      variables: { v },
    }),
  },
  {
    name: 'preview: article(id, previewToken) shaped like a link',
    request: v => ({
      query: 'query($v: String) { article(id: "QXJ0aWNsZTo5", previewToken: $v) { id title } }',
      variables: { v: linkShaped(v) },
    }),
  },
  {
    name: 'preview: article(slug: v, previewToken: v)',
    request: v => ({
      query: 'query($v: String) { article(slug: $v, previewToken: $v) { id title } }',
      variables: { v },
    }),
  },
  {
    name: 'preview: article(slug, preview: true) without the scope',
    request: v => ({
      query: 'query($v: String) { article(slug: $v, preview: true) { id title } }',
      variables: { v },
    }),
  },
  {
    name: 'preview: createPreviewLink(articleId) without the scope',
    request: v => ({
      query:
        'mutation($v: ID!) { createPreviewLink(input: { articleId: $v, ttlSeconds: 60 }) { token } }',
      variables: { v },
    }),
  },
  {
    name: 'article(slug)',
    request: v => ({
      query: 'query($v: String) { article(slug: $v) { id title } }',
      variables: { v },
    }),
  },
  {
    name: 'article(id)',
    request: v => ({ query: 'query($v: ID) { article(id: $v) { id title } }', variables: { v } }),
  },
  {
    name: 'node(id)',
    request: v => ({ query: 'query($v: ID!) { node(id: $v) { id } }', variables: { v } }),
  },
  {
    name: 'author(slug)',
    request: v => ({ query: 'query($v: String!) { author(slug: $v) { name } }', variables: { v } }),
  },
  {
    name: 'tag(slug)',
    request: v => ({ query: 'query($v: String!) { tag(slug: $v) { name } }', variables: { v } }),
  },
  // Translations: the locale arguments.
  {
    name: 'article(locale)',
    request: v => ({
      query:
        'query($v: String) { article(slug: "serie-001", locale: $v) { id translations { id } } }',
      variables: { v },
    }),
  },
  {
    name: 'article(fallbackLocales)',
    request: v => ({
      query:
        'query($v: String!) { article(slug: "serie-001", locale: "fr", fallbackLocales: [$v, "de"]) { id } }',
      variables: { v },
    }),
  },
  {
    name: 'Tag.name(locale)',
    request: v => ({
      query: 'query($v: String) { tag(slug: "thema-1") { name(locale: $v) } }',
      variables: { v },
    }),
  },
  {
    name: 'Author.name(locale)',
    request: v => ({
      query: 'query($v: String) { author(slug: "autor-0") { name(locale: $v) } }',
      variables: { v },
    }),
  },
  {
    name: 'articles(after)',
    request: v => ({
      query: `query($v: String) { articles(first: 3, after: $v) ${page} }`,
      variables: { v },
    }),
  },
  {
    name: 'articles(after) by title',
    request: v => ({
      query: `query($v: String) { articles(first: 3, after: $v, orderBy: TITLE_ASC) ${page} }`,
      variables: { v },
    }),
  },
  {
    name: 'articles(after) oldest first',
    request: v => ({
      query: `query($v: String) { articles(first: 3, after: $v, orderBy: PUBLISHED_AT_ASC) ${page} }`,
      variables: { v },
    }),
  },
  {
    name: 'authors(after)',
    request: v => ({
      query: 'query($v: String) { authors(first: 3, after: $v) { edges { node { name } } } }',
      variables: { v },
    }),
  },
  {
    name: 'tags(after)',
    request: v => ({
      query: 'query($v: String) { tags(first: 3, after: $v) { edges { node { name } } } }',
      variables: { v },
    }),
  },
  {
    name: 'Author.articles(after)',
    request: v => ({
      query: `query($v: String) { author(slug: "autor-0") { articles(first: 2, after: $v) ${page} } }`,
      variables: { v },
    }),
  },
  {
    name: 'Tag.articles(after)',
    request: v => ({
      query: `query($v: String) { tag(slug: "thema-1") { articles(first: 2, after: $v) ${page} } }`,
      variables: { v },
    }),
  },
  {
    name: 'articles(filter.search)',
    request: v => ({
      query: `query($v: String) { articles(first: 3, filter: { search: $v }) ${page} }`,
      variables: { v },
    }),
  },
  {
    name: 'articles(filter.search) by relevance after',
    request: v => ({
      query: `query($v: String) { articles(first: 3, after: $v, filter: { search: "serie" }, orderBy: RELEVANCE) ${page} }`,
      variables: { v },
    }),
  },
  {
    name: 'articles(filter.tagSlugs)',
    request: v => ({
      query: `query($v: String!) { articles(first: 3, filter: { tagSlugs: [$v, "thema-1"] }) ${page} }`,
      variables: { v },
    }),
  },
  {
    name: 'articles(filter.authorSlug)',
    request: v => ({
      query: `query($v: String) { articles(first: 3, filter: { authorSlug: $v }) ${page} }`,
      variables: { v },
    }),
  },
  {
    name: 'articles(filter.locale)',
    request: v => ({
      query: `query($v: String) { articles(first: 3, filter: { locale: $v }) ${page} }`,
      variables: { v },
    }),
  },
  {
    name: 'mostRead(after)',
    request: v => ({
      query: 'query($v: String) { mostRead(first: 3, after: $v) { edges { rank node { slug } } } }',
      variables: { v },
    }),
  },
  {
    name: 'mostRead(filter.tagSlugs)',
    request: v => ({
      query:
        'query($v: String!) { mostRead(first: 3, filter: { tagSlugs: [$v] }) { edges { rank } } }',
      variables: { v },
    }),
  },
  {
    name: 'mostRead(filter.authorSlug)',
    request: v => ({
      query:
        'query($v: String) { mostRead(first: 3, filter: { authorSlug: $v }) { edges { rank } } }',
      variables: { v },
    }),
  },
  {
    name: 'mostRead(filter.locale)',
    request: v => ({
      query: 'query($v: String) { mostRead(first: 3, filter: { locale: $v }) { edges { rank } } }',
      variables: { v },
    }),
  },
  {
    name: 'mostRead(filter.excludeSlugs)',
    request: v => ({
      query:
        'query($v: String!) { mostRead(first: 3, filter: { excludeSlugs: [$v] }) { edges { rank } } }',
      variables: { v },
    }),
  },
  {
    name: 'viewStats(slugs)',
    request: v => ({
      query:
        'query($v: String!) { viewStats(from: "2026-11-01T00:00:00Z", to: "2026-11-29T00:00:00Z", slugs: [$v]) { edges { node { total } } } }',
      variables: { v },
    }),
  },
  {
    name: 'viewStats(after)',
    request: v => ({
      query:
        'query($v: String) { viewStats(from: "2026-11-01T00:00:00Z", to: "2026-11-29T00:00:00Z", after: $v) { edges { node { total } } } }',
      variables: { v },
    }),
  },
  // recordView writes: every free-text field is fuzzed against a published article, so that the
  // guard and the buffer are reached; the test checks that exactly the counted views were stored.
  {
    name: 'recordView(slug)',
    request: v => ({
      query: `mutation($v: String) { recordView(input: { slug: $v, visitorId: "fuzz" }) ${viewAnswer} }`,
      variables: { v },
    }),
  },
  {
    name: 'recordView(articleId)',
    request: v => ({
      query: `mutation($v: ID) { recordView(input: { articleId: $v, visitorId: "fuzz" }) ${viewAnswer} }`,
      variables: { v },
    }),
  },
  {
    name: 'recordView(visitorId)',
    request: v => ({
      query: `mutation($v: String) { recordView(input: { slug: "serie-002", visitorId: $v }) ${viewAnswer} }`,
      variables: { v },
    }),
  },
  {
    name: 'recordView(referrer)',
    request: v => ({
      query: `mutation($v: String) { recordView(input: { slug: "serie-003", visitorId: "fuzz", referrer: $v }) ${viewAnswer} }`,
      variables: { v },
    }),
  },
];

/** Strings that have broken gateways: SQL and LIKE metacharacters, NUL, lone surrogates, huge input. */
const nasty = [
  '',
  ' ',
  "'",
  '"',
  '\\',
  '%',
  '_',
  "' OR '1'='1",
  "'; DROP TABLE article; --",
  '") OR 1=1 --',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  '🤖'.repeat(50),
  'x'.repeat(5000),
  'serie-001',
  'QXJ0aWNsZTox',
  'QXJ0aWNsZTotMQ==',
  'QXJ0aWNsZTo5OTk5OTk5OTk5OTk5OTk5OTk5OQ==',
  'QXV0aG9yOjE=',
  'not base64!',
  'W10=',
  'eyJ4IjoxfQ==',
  '*',
  '"" AND',
  'NEAR(',
  'ä ö ü ß',
  'de-AT',
  '\n\r\t',
];

/** Encodes text as base64 or base64url, the choice drawn by fast-check (so the seed decides it). */
const encoded = (text: fc.Arbitrary<string>) =>
  fc
    .tuple(text, fc.constantFrom<BufferEncoding>('base64', 'base64url'))
    .map(([value, encoding]) => Buffer.from(value).toString(encoding));

/**
 * Numbers as JSON text at and past the edges of the column types: int4 (ids), 2^32, 2^53 (a
 * double's integers), 2^63 and 2^64 (bigint), floats, 1e308 and what JSON.parse reads as Infinity;
 * as text so that integers beyond 2^53 arrive digit for digit.
 */
const edgeNumber = fc.oneof(
  fc.constantFrom(
    ...[0, 1, -1, 1.5, 2 ** 31 - 1, 2 ** 32 - 1, 2 ** 53 - 1, 2 ** 53, 1e308, -1e308, 5e-324].map(
      String,
    ),
    '2147483648',
    '4294967296',
    '9007199254740993',
    '9223372036854775807',
    '9223372036854775808',
    '18446744073709551616',
    '1e999',
    '-1e999',
    '-0',
    'NaN',
  ),
  ...[31n, 32n, 53n, 63n, 64n].map(bits =>
    fc.bigInt({ min: 2n ** bits - 3n, max: 2n ** bits + 3n }).map(String),
  ),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.double().map(value => (Number.isFinite(value) ? String(value) : 'null')),
  fc.integer().map(String),
);

/** Global ids that decode to one of our types with an id at or past the edges, or any text. */
const forgedId = encoded(
  fc
    .tuple(
      fc.constantFrom('Article', 'Author', 'Tag', 'Node', ''),
      fc.oneof(edgeNumber, fc.string()),
    )
    .map(([type, id]) => `${type}:${id}`),
);

/**
 * Every cursor kind with the values of a well-formed cursor, as JSON text. mostRead's digest is
 * that of the ranking its target asks for (read from a real cursor), so forged values get past it.
 */
const cursorShapes = (mostReadDigest: string): [string, string[]][] => [
  ['PUBLISHED_AT_DESC', ['1767225600000', '3']],
  ['PUBLISHED_AT_ASC', ['1767225600000', '3']],
  ['UPDATED_AT_DESC', ['1767225600000', '3']],
  ['TITLE_ASC', ['"serie 3"', '3']],
  ['RELEVANCE', ['0.5', '3']],
  ['name:t', ['"thema 1"', '3']],
  ['name:au', ['"autor 1"', '3']],
  ['viewStats', ['3']],
  ['mostRead', [JSON.stringify(mostReadDigest), '1', '2', '3']],
];

const jsonValue = fc.oneof(
  { weight: 4, arbitrary: edgeNumber },
  { weight: 1, arbitrary: fc.string().map(value => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.constantFrom('null', 'true', '[]', '{}', '"\\u0000"', '"\\ud800"') },
);

/**
 * Cursors of every kind in their own shape with one or more values replaced (so they get past the
 * kind and length checks to the type of each value), or with any values at all.
 */
const forgedCursor = (shapes: [string, string[]][]) =>
  encoded(
    fc.oneof(
      fc
        .tuple(
          fc.constantFrom(...shapes),
          fc.array(fc.tuple(fc.nat(), jsonValue), { minLength: 1, maxLength: 3 }),
        )
        .map(([[kind, values], replacements]) => {
          const forgedValues = [...values];
          for (const [position, value] of replacements) {
            forgedValues[position % forgedValues.length] = value;
          }
          return `[${[JSON.stringify(kind), ...forgedValues].join(',')}]`;
        }),
      fc
        .tuple(
          fc.constantFrom(...shapes.map(([kind]) => kind)),
          fc.array(jsonValue, { maxLength: 5 }),
        )
        .map(([kind, values]) => `[${[JSON.stringify(kind), ...values].join(',')}]`),
    ),
  );

/** Cursors and ids are base64 of JSON or `Type:id`: forge some that decode to something. */
const forged = encoded(
  fc.oneof(
    fc
      .tuple(fc.constantFrom('Article', 'Author', 'Tag', 'Node', ''), fc.string())
      .map(([t, s]) => `${t}:${s}`),
    fc.json(),
    fc
      .array(fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null)), { maxLength: 4 })
      .map(a => JSON.stringify(a)),
  ),
);

const anyString = (mostReadDigest: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
    { weight: 2, arbitrary: fc.constantFrom(...nasty) },
    { weight: 2, arbitrary: forged },
    { weight: 2, arbitrary: forgedId },
    { weight: 3, arbitrary: forgedCursor(cursorShapes(mostReadDigest)) },
  );

const leaks =
  /\bSELECT\b|\bINSERT INTO\b|\bFROM "?\w+"?\s|SQLITE_|QueryFailedError|syntax error at|invalid byte sequence|\bat \w+ \(|\.ts:\d+|stacktrace/i;

// A seeded run: FUZZ_SEED and FUZZ_RUNS choose it, and a failure prints the seed and path that
// replay it (fast-check's report).
const seed = Number(process.env.FUZZ_SEED ?? 20261129);
const runs = Number(process.env.FUZZ_RUNS ?? 1300);

/** The views stored per article: rollups (recent, hourly, daily) and running totals. */
interface StoredViews {
  views: number;
  uniqueVisitors: number;
  totalViews: number;
  totalUniqueVisitors: number;
}

describeEachDatabase('fuzzing every string and ID argument', dialect => {
  let gateway: TestGateway;
  let token: string;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    await gateway.importFiles([
      ...articleSeries(8),
      articleFile({ slug: 'entwurf', status: 'draft', tags: ['thema-1'] }),
    ]);
    token = await createToken(
      gateway.db,
      `fuzz-${randomBytes(3).toString('hex')}`,
      ['analytics:read'],
      gateway.clock(),
    );
  });
  afterAll(() => gateway.close());

  /**
   * A digest of every table's rows but the view tables, in a stable order; of the token table
   * everything but its bookkeeping of the last use.
   */
  async function checksum(): Promise<string> {
    const tables: { name: string }[] =
      dialect === 'sqlite'
        ? await gateway.db.query(
            `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`,
          )
        : await gateway.db.query(
            `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
          );
    const hash = createHash('sha256');
    for (const { name } of tables) {
      // The rollups of counted views: their views, sources and engagement.
      if (/^article_(view|source|engagement)_/.test(name)) continue;
      const rows: Record<string, unknown>[] = await gateway.db.query(`SELECT * FROM "${name}"`);
      const lines = rows.map(row => JSON.stringify({ ...row, last_used_at: undefined })).sort();
      hash.update(`${name}\n${lines.join('\n')}\n`);
    }
    return hash.digest('hex');
  }

  /** The stored views of every article by slug, from every view table. */
  async function storedViews(): Promise<Map<string, StoredViews>> {
    const rows: Record<string, unknown>[] = await gateway.db.query(
      `SELECT a.slug,
         (SELECT COALESCE(SUM(views), 0) FROM (
            SELECT article_id, views FROM article_view_recent UNION ALL
            SELECT article_id, views FROM article_view_hour UNION ALL
            SELECT article_id, views FROM article_view_day) r WHERE r.article_id = a.internal_id) AS views,
         (SELECT COALESCE(SUM(unique_visitors), 0) FROM (
            SELECT article_id, unique_visitors FROM article_view_recent UNION ALL
            SELECT article_id, unique_visitors FROM article_view_hour UNION ALL
            SELECT article_id, unique_visitors FROM article_view_day) r WHERE r.article_id = a.internal_id) AS unique_visitors,
         COALESCE(t.views, 0) AS total_views, COALESCE(t.unique_visitors, 0) AS total_unique_visitors
       FROM article a LEFT JOIN article_view_total t ON t.article_id = a.internal_id`,
    );
    return new Map(
      rows.map(row => [
        String(row.slug),
        {
          views: Number(row.views),
          uniqueVisitors: Number(row.unique_visitors),
          totalViews: Number(row.total_views),
          totalUniqueVisitors: Number(row.total_unique_visitors),
        },
      ]),
    );
  }

  it(
    `never answers with INTERNAL_SERVER_ERROR, SQL text or a stack trace, and stores exactly the views it counted (FUZZ_RUNS, ${runs} runs)`,
    async () => {
      // Warm up what a first request creates (e.g. the visitor-key salt), then take the checksum.
      for (const target of targets) {
        const { query, variables } = target.request('serie-001');
        await gateway.gql(query, variables, {
          authorization: `Bearer ${token}`,
          'user-agent': browserAgent,
        });
      }
      await gateway.flushViews();
      // A real cursor's digest: forged mostRead cursors with it get past the ranking check.
      const mostReadPage = await gateway.gql<{ mostRead: { edges: { cursor: string }[] } }>(
        '{ mostRead(first: 1) { edges { cursor } } }',
      );
      const [, mostReadDigest] = JSON.parse(
        Buffer.from(mostReadPage.body.data!.mostRead.edges[0].cursor, 'base64url').toString(),
      ) as [string, string];
      const before = await checksum();
      const viewsBefore = await storedViews();
      const failures: string[] = [];
      const counted = new Map<string, number>();
      const answers = { recordView: 0, counted: 0, notCounted: 0, errors: 0 };
      console.log(`fuzz [${dialect}]: FUZZ_SEED=${seed} FUZZ_RUNS=${runs}`);

      await fc
        .assert(
          fc.asyncProperty(
            fc.constantFrom(...targets),
            anyString(mostReadDigest),
            async (target, value) => {
              const { query, variables } = target.request(value);
              const response = await fetch(`${gateway.url}/graphql`, {
                method: 'POST',
                headers: {
                  'content-type': 'application/json',
                  authorization: `Bearer ${token}`,
                  // A browser: Node's own user agent is a bot to isbot, and bots stop at the guard.
                  'user-agent': browserAgent,
                },
                body: JSON.stringify({ query, variables }),
              });
              const text = await response.text();
              // The client's own input may be echoed in a message; only what is left can leak.
              const echoed = text.split(JSON.stringify(value).slice(1, -1)).join('');
              const body = JSON.parse(text) as {
                data?: {
                  recordView?: { counted: boolean; article: { slug: string } | null };
                  article?: unknown;
                  createPreviewLink?: unknown;
                } | null;
                errors?: { extensions?: { code?: string } }[];
              };
              const codes = (body.errors ?? []).map(error => error.extensions?.code);
              const view = body.data?.recordView;
              if (target.name.startsWith('recordView')) {
                answers.recordView += 1;
                if (view?.counted) {
                  answers.counted += 1;
                  const slug = view.article?.slug ?? '(no article)';
                  counted.set(slug, (counted.get(slug) ?? 0) + 1);
                } else if (view) answers.notCounted += 1;
                else answers.errors += 1;
              }
              // Without a valid link or the scope a preview answers nothing, never the draft.
              const previewLeak =
                target.name.startsWith('preview:') &&
                (body.data?.article != null || body.data?.createPreviewLink != null);
              if (
                response.status >= 500 ||
                codes.includes('INTERNAL_SERVER_ERROR') ||
                leaks.test(echoed) ||
                previewLeak
              ) {
                failures.push(
                  `${target.name} ${JSON.stringify(value).slice(0, 120)} -> ${response.status} ${text.slice(0, 300)}`,
                );
                return false;
              }
              return true;
            },
          ),
          { numRuns: runs, seed, endOnFailure: true },
        )
        .catch(error => {
          throw new Error(`${failures.join('\n')}\n${String(error).slice(0, 500)}`);
        });

      await gateway.flushViews();
      console.log(`fuzz [${dialect}]: ${runs} runs, recordView answers ${JSON.stringify(answers)}`);
      // The fuzz reached the buffer: some views were counted, and some were not.
      expect(answers.counted).toBeGreaterThan(0);
      expect(answers.notCounted).toBeGreaterThan(0);
      expect(await checksum()).toBe(before);
      const viewsAfter = await storedViews();
      const stored = new Map<string, number>();
      for (const [slug, after] of viewsAfter) {
        const earlier = viewsBefore.get(slug) as StoredViews;
        const added = after.views - earlier.views;
        const addedUnique = after.uniqueVisitors - earlier.uniqueVisitors;
        // The rollups and the running totals grew alike, and no more visitors than views.
        expect([
          after.totalViews - earlier.totalViews,
          after.totalUniqueVisitors - earlier.totalUniqueVisitors,
        ]).toEqual([added, addedUnique]);
        expect(addedUnique).toBeGreaterThanOrEqual(0);
        expect(addedUnique).toBeLessThanOrEqual(added);
        if (added !== 0) stored.set(slug, added);
      }
      expect(Object.fromEntries(stored)).toEqual(Object.fromEntries(counted));
    },
    Math.max(120_000, runs * 150),
  );
});

/** One client-chosen string of an editorial mutation: where it goes, given the ids it may need. */
interface WriteTarget {
  name: string;
  request(
    value: string,
    ids: { article: string; revision: number; pending: string; pendingRevision: number },
  ): { query: string; variables: Record<string, unknown> };
}

const writeAnswer = '{ revision article { id slug title } }';
const articleField = (field: string): WriteTarget => ({
  name: `createArticle(${field})`,
  request: v => ({
    query: `mutation($input: CreateArticleInput!) { createArticle(input: $input) ${writeAnswer} }`,
    variables: { input: { title: 'Fuzz', body: 'Text.', [field]: v } },
  }),
});
const updateField = (field: string): WriteTarget => ({
  name: `updateArticle(${field})`,
  request: (v, ids) => ({
    query: `mutation($input: UpdateArticleInput!) { updateArticle(input: $input) ${writeAnswer} }`,
    variables: { input: { id: ids.article, expectedRevision: ids.revision, [field]: v } },
  }),
});

const writeTargets: WriteTarget[] = [
  ...['title', 'slug', 'body', 'locale', 'excerpt', 'seoTitle', 'seoDescription'].map(articleField),
  articleField('canonicalUrl'),
  {
    name: 'createArticle(authorIds, tagIds)',
    request: v => ({
      query: `mutation($input: CreateArticleInput!) { createArticle(input: $input) ${writeAnswer} }`,
      variables: { input: { title: 'Fuzz', body: 'Text.', authorIds: [v], tagIds: [v] } },
    }),
  },
  {
    name: 'createArticle(mainImage)',
    request: v => ({
      query: `mutation($input: CreateArticleInput!) { createArticle(input: $input) ${writeAnswer} }`,
      variables: { input: { title: 'Fuzz', body: 'Text.', mainImage: { url: v, alt: v } } },
    }),
  },
  ...['title', 'slug', 'body', 'locale', 'excerpt'].map(updateField),
  {
    name: 'updateArticle(id)',
    request: v => ({
      query: `mutation($input: UpdateArticleInput!) { updateArticle(input: $input) ${writeAnswer} }`,
      variables: { input: { id: v, expectedRevision: 1, title: 'Fuzz' } },
    }),
  },
  ...['publishArticle', 'unpublishArticle', 'archiveArticle'].map(
    (operation): WriteTarget => ({
      name: `${operation}(id)`,
      request: v => ({
        query: `mutation($input: ${operation === 'publishArticle' ? 'PublishArticleInput' : 'ArticleRefInput'}!) { ${operation}(input: $input) ${writeAnswer} }`,
        variables: { input: { id: v } },
      }),
    }),
  ),
  {
    name: 'restoreArticleRevision(id)',
    request: v => ({
      query: `mutation($input: RestoreArticleRevisionInput!) { restoreArticleRevision(input: $input) ${writeAnswer} }`,
      variables: { input: { id: v, revision: 1, expectedRevision: 1 } },
    }),
  },
  ...(['createAuthor', 'createTag'] as const).flatMap(operation =>
    ['name', 'slug'].map(
      (field): WriteTarget => ({
        name: `${operation}(${field})`,
        request: v => ({
          query: `mutation($input: ${operation === 'createAuthor' ? 'AuthorInput' : 'TagInput'}!) { ${operation}(input: $input) { __typename } }`,
          variables: { input: { name: 'Fuzz', [field]: v } },
        }),
      }),
    ),
  ),
  ...['title', 'slug', 'body', 'excerpt'].map(
    (field): WriteTarget => ({
      name: `updateArticle(draft: true, ${field})`,
      request: (v, ids) => ({
        query: `mutation($input: UpdateArticleInput!) { updateArticle(input: $input) ${writeAnswer} }`,
        variables: {
          input: {
            id: ids.pending,
            expectedRevision: ids.pendingRevision,
            draft: true,
            [field]: v,
          },
        },
      }),
    }),
  ),
  {
    name: 'discardPendingChanges(id)',
    request: v => ({
      query: `mutation($input: ArticleRefInput!) { discardPendingChanges(input: $input) ${writeAnswer} }`,
      variables: { input: { id: v } },
    }),
  },
  {
    name: 'createPreviewLink(articleId)',
    request: v => ({
      query: `mutation($input: CreatePreviewLinkInput!) { createPreviewLink(input: $input) { token } }`,
      variables: { input: { articleId: v } },
    }),
  },
  {
    name: 'updateAuthor(id, bio)',
    request: v => ({
      query: `mutation($input: UpdateAuthorInput!) { updateAuthor(input: $input) { author { slug } } }`,
      variables: { input: { id: v, bio: v } },
    }),
  },
];

/** The codes a refused write may answer with; anything else is a defect. */
const writeCodes = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT']);

describeEachDatabase('fuzzing the string arguments of the editorial mutations', dialect => {
  let gateway: TestGateway;
  let token: string;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    await gateway.importFiles([
      articleFile({ slug: 'ziel', authors: ['autor-1'], tags: ['t'] }),
      // Published: the draft: true targets make pending changes of it.
      articleFile({ slug: 'ziel-vorschau', authors: ['autor-1'], tags: ['t'] }),
    ]);
    token = await createToken(gateway.db, 'fuzz-writer', ['content:write'], gateway.clock());
  });
  afterAll(() => gateway.close());

  const writeRuns = Math.max(1, Math.round(runs / 2));

  it(
    `answers data or BAD_USER_INPUT, NOT_FOUND or CONFLICT, never SQL or a stack, and stores only valid slugs (FUZZ_RUNS/2, ${writeRuns} runs)`,
    async () => {
      const [target] = await gateway.db.query(
        "SELECT internal_id AS id FROM article WHERE slug = 'ziel'",
      );
      const article = Buffer.from(`Article:${target.id}`).toString('base64');
      const [previewed] = await gateway.db.query(
        "SELECT internal_id AS id FROM article WHERE slug = 'ziel-vorschau'",
      );
      const pending = Buffer.from(`Article:${previewed.id}`).toString('base64');
      const failures: string[] = [];
      console.log(`fuzz writes [${dialect}]: FUZZ_SEED=${seed} runs=${writeRuns}`);
      await fc
        .assert(
          fc.asyncProperty(
            fc.constantFrom(...writeTargets),
            anyString(''),
            async (write, value) => {
              const [{ revision }] = await gateway.db.query(
                `SELECT revision FROM article WHERE internal_id = ${Number(target.id)}`,
              );
              // The newest revision of the previewed article: its pending change's, else its own.
              const [newest] = await gateway.db.query(
                `SELECT COALESCE(p.revision, a.revision) AS revision FROM article a LEFT JOIN article_pending p ON p.article_id = a.internal_id WHERE a.internal_id = ${Number(previewed.id)}`,
              );
              const { query, variables } = write.request(value, {
                article,
                revision: Number(revision),
                pending,
                pendingRevision: Number(newest.revision),
              });
              const response = await fetch(`${gateway.url}/graphql`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
                body: JSON.stringify({ query, variables }),
              });
              const text = await response.text();
              const echoed = text.split(JSON.stringify(value).slice(1, -1)).join('');
              const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
              const codes = (body.errors ?? []).map(error => error.extensions?.code);
              if (
                response.status >= 500 ||
                codes.some(code => !writeCodes.has(code ?? '')) ||
                leaks.test(echoed)
              ) {
                failures.push(
                  `${write.name} ${JSON.stringify(value).slice(0, 120)} -> ${response.status} ${text.slice(0, 300)}`,
                );
                return false;
              }
              return true;
            },
          ),
          { numRuns: writeRuns, seed, endOnFailure: true },
        )
        .catch(error => {
          throw new Error(`${failures.join('\n')}\n${String(error).slice(0, 500)}`);
        });
      // Whatever was written follows the import's rules: every slug, current or earlier, valid.
      const slugs: { slug: string }[] = await gateway.db.query(
        'SELECT slug FROM article UNION ALL SELECT slug FROM article_slug UNION ALL SELECT slug FROM author UNION ALL SELECT slug FROM tag',
      );
      expect(slugs.filter(row => !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(row.slug))).toEqual([]);
    },
    Math.max(120_000, writeRuns * 150),
  );
});
