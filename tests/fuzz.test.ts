import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { createToken } from '../src/services/apiTokens';
import { describeEachDatabase } from './helpers/databases';
import { articleFile, articleSeries } from './helpers/fixtures';
import { type TestGateway, startTestGateway } from './helpers/testGateway';

/** One place a client-chosen string or ID goes into the contract. */
interface Target {
  name: string;
  request(value: string): { query: string; variables: Record<string, unknown> };
}

const page = '{ edges { cursor node { id slug title } } pageInfo { endCursor } }';

const targets: Target[] = [
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
  {
    name: 'articles(after)',
    request: v => ({
      query: `query($v: String) { articles(first: 3, after: $v) ${page} }`,
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
  // recordView writes; its free-text fields are fuzzed against a draft, which is never counted.
  {
    name: 'recordView(slug)',
    request: v => ({
      query:
        'mutation($v: String) { recordView(input: { slug: $v, visitorId: "fuzz" }) { counted } }',
      variables: { v },
    }),
  },
  {
    name: 'recordView(articleId)',
    request: v => ({
      query:
        'mutation($v: ID) { recordView(input: { articleId: $v, visitorId: "fuzz" }) { counted } }',
      variables: { v },
    }),
  },
  {
    name: 'recordView(visitorId)',
    request: v => ({
      query:
        'mutation($v: String) { recordView(input: { slug: "entwurf", visitorId: $v }) { counted } }',
      variables: { v },
    }),
  },
  {
    name: 'recordView(referrer)',
    request: v => ({
      query:
        'mutation($v: String) { recordView(input: { slug: "entwurf", visitorId: "fuzz", referrer: $v }) { counted } }',
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

/** Cursors and ids are base64 of JSON or `Type:id`: forge some that decode to something. */
const forged = fc
  .oneof(
    fc
      .tuple(fc.constantFrom('Article', 'Author', 'Tag', 'Node', ''), fc.string())
      .map(([t, s]) => `${t}:${s}`),
    fc.json(),
    fc
      .array(fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null)), { maxLength: 4 })
      .map(a => JSON.stringify(a)),
  )
  .map(text =>
    Buffer.from(text).toString(
      fc.sample(fc.constantFrom('base64', 'base64url'), 1)[0] as BufferEncoding,
    ),
  );

const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
  { weight: 2, arbitrary: fc.constantFrom(...nasty) },
  { weight: 3, arbitrary: forged },
);

const leaks =
  /\bSELECT\b|\bINSERT INTO\b|\bFROM "?\w+"?\s|SQLITE_|QueryFailedError|syntax error at|invalid byte sequence|\bat \w+ \(|\.ts:\d+|stacktrace/i;

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

  /** A digest of every table's rows, in a stable order; token bookkeeping (last use) aside. */
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
      if (/token/i.test(name)) continue;
      const rows: unknown[] = await gateway.db.query(`SELECT * FROM "${name}"`);
      const lines = rows.map(row => JSON.stringify(row)).sort();
      hash.update(`${name}\n${lines.join('\n')}\n`);
    }
    return hash.digest('hex');
  }

  it('never answers with INTERNAL_SERVER_ERROR, SQL text or a stack trace, and changes no stored data (1,300 runs)', async () => {
    // Warm up what a first request creates (e.g. the visitor-key salt), then take the checksum.
    for (const target of targets) {
      const { query, variables } = target.request('serie-001');
      await gateway.gql(query, variables, { authorization: `Bearer ${token}` });
    }
    await gateway.gateway.views.counter.flush();
    const before = await checksum();
    const failures: string[] = [];

    await fc
      .assert(
        fc.asyncProperty(fc.constantFrom(...targets), anyString, async (target, value) => {
          const { query, variables } = target.request(value);
          const response = await fetch(`${gateway.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query, variables }),
          });
          const text = await response.text();
          // The client's own input may be echoed in a message; only what is left can leak.
          const echoed = text.split(JSON.stringify(value).slice(1, -1)).join('');
          const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
          const codes = (body.errors ?? []).map(error => error.extensions?.code);
          if (
            response.status >= 500 ||
            codes.includes('INTERNAL_SERVER_ERROR') ||
            leaks.test(echoed)
          ) {
            failures.push(
              `${target.name} ${JSON.stringify(value).slice(0, 120)} -> ${response.status} ${text.slice(0, 300)}`,
            );
            return false;
          }
          return true;
        }),
        { numRuns: 1300, seed: Number(process.env.FUZZ_SEED ?? 20261129), endOnFailure: true },
      )
      .catch(error => {
        throw new Error(`${failures.join('\n')}\n${String(error).slice(0, 500)}`);
      });

    await gateway.gateway.views.counter.flush();
    expect(await checksum()).toBe(before);
  }, 120_000);
});
