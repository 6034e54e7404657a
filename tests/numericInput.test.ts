import { randomBytes } from 'node:crypto';
import { describeEachDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { type TestGateway, startTestGateway } from './helpers/testGateway';
import { browserAgent, recordViewMutation } from './helpers/views';
import { createToken } from '../src/access/apiTokens';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A global id as encodeGlobalId makes it, for any text after the type. */
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

/** A cursor as encodeCursor makes it, from raw JSON text (so that NaN and 2^63 can be written). */
const cursorOf = (json: string) => Buffer.from(json).toString('base64url');

// Ids past PostgreSQL's int4 (2^31 - 1), past 2^32 and past 2^53 (Number.MAX_SAFE_INTEGER).
const idsOutOfRange = ['2147483648', '4294967296', '9007199254740993', '9223372036854775808'];

type Kind = 'text' | 'id' | 'epochMs' | 'safeInteger' | 'double';

// A good value of each kind, and values (as raw JSON text, so that NaN and 2^63 can be written)
// that no cursor of that kind holds: floats where integers belong, 1e308 and 2^63 past every
// integer column, ids past int4, NaN and Infinity (not JSON), text with U+0000.
const good: Record<Kind, string> = {
  text: '"a"',
  id: '1',
  epochMs: '1767225600000',
  safeInteger: '7',
  double: '0.5',
};
const bad: Record<Kind, string[]> = {
  text: ['1', 'null', '"a\\u0000b"'],
  id: ['1.5', '1e308', '9223372036854775808', '2147483648', '0', '-1', 'NaN', '1e999', '"1"'],
  epochMs: ['1.5', '1e308', '9223372036854775808', '8640000000000001', 'NaN', '1e999', '"1"'],
  safeInteger: ['1.5', '1e308', '9223372036854775808', 'NaN', '"1"'],
  double: ['NaN', '1e999', '-1e999', '"1"', 'null'],
};

/** Cursors of a kind and shape with one value replaced by a bad one, for every position. */
function forgedCursors(kind: string, shape: Kind[], fixed: string[] = []): string[] {
  const cursors: string[] = [];
  shape.forEach((field, position) => {
    for (const value of bad[field]) {
      const values = shape.map((other, index) =>
        index === position ? value : (fixed[index] ?? good[other]),
      );
      cursors.push(`[${[JSON.stringify(kind), ...values].join(',')}]`);
    }
  });
  return cursors;
}

const invalidCursor = /^after must be a cursor returned by this field/;

describeEachDatabase('ids and cursor values outside the column types', dialect => {
  let gateway: TestGateway;
  let token: string;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    await gateway.importFiles(articleSeries(6));
    token = await createToken(
      gateway.db,
      `numeric-${randomBytes(3).toString('hex')}`,
      ['analytics:read'],
      gateway.clock(),
    );
  });
  afterAll(() => gateway.close());

  it('answers node and article with null for a global id past int4, 2^53 or 2^63', async () => {
    for (const internalId of idsOutOfRange) {
      for (const type of ['Article', 'Author', 'Tag']) {
        const node = await gateway.gql(`query ($id: ID!) { node(id: $id) { id } }`, {
          id: globalId(type, internalId),
        });
        expect([node.status, node.body.errors, node.body.data]).toEqual([
          200,
          undefined,
          { node: null },
        ]);
      }
      const article = await gateway.gql(`query ($id: ID) { article(id: $id) { slug } }`, {
        id: globalId('Article', internalId),
      });
      expect([article.status, article.body.errors, article.body.data]).toEqual([
        200,
        undefined,
        { article: null },
      ]);
    }
  });

  it('answers recordView for an id past int4 as for an unknown article: NOT_FOUND', async () => {
    for (const internalId of ['9999', ...idsOutOfRange]) {
      const articleId = globalId('Article', internalId);
      const { body } = await gateway.gql(
        recordViewMutation,
        { input: { articleId, visitorId: 'v' } },
        { 'user-agent': browserAgent },
      );
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0]).toMatchObject({
        message: `No article with id ${JSON.stringify(articleId)}.`,
        extensions: { code: 'NOT_FOUND' },
      });
    }
  });

  it('answers POST /views for an id past int4 as for an unknown article: 404 NOT_FOUND', async () => {
    for (const internalId of ['9999', ...idsOutOfRange]) {
      const articleId = globalId('Article', internalId);
      const response = await fetch(`${gateway.url}/views`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': browserAgent },
        body: JSON.stringify({ articleId, visitorId: 'v' }),
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: `No article with id ${JSON.stringify(articleId)}.`,
            extensions: { code: 'NOT_FOUND' },
          },
        ],
      });
    }
  });

  /** gateway_db_statements_total: every statement, the ones outside a request's scope included. */
  async function statementsRun(): Promise<number> {
    return (await gateway.metrics.dbStatements.get()).values[0]?.value ?? 0;
  }

  /**
   * Sends a request and counts the SQL it ran: in its own scope (x-sql-statements) and in the
   * whole process (rankings are read outside any request's scope). The buffer is flushed first,
   * so the flusher's timer has nothing to write meanwhile (the clock stands still).
   */
  async function counted(query: string, variables: Json, headers: Record<string, string> = {}) {
    await gateway.flushViews();
    const before = await statementsRun();
    const response = await gateway.gql(query, variables, headers);
    return { response, statements: [response.statements, (await statementsRun()) - before] };
  }

  /** Sends a forged cursor; expects HTTP 400, BAD_USER_INPUT and `statements` SQL statements. */
  async function expectRefused(
    query: string,
    after: string,
    statements: number,
    headers: Record<string, string> = {},
  ) {
    const { response, statements: ran } = await counted(query, { after }, headers);
    const error = response.body.errors?.[0];
    expect({
      status: response.status,
      code: error?.extensions?.code,
      errors: response.body.errors?.length,
      statements: ran,
    }).toEqual({
      status: 400,
      code: 'BAD_USER_INPUT',
      errors: 1,
      statements: [statements, statements],
    });
    expect(error?.message).toMatch(invalidCursor);
  }

  const page = '{ edges { cursor node { slug } } }';
  const articles = (args: string) =>
    `query ($after: String) { articles(first: 2, after: $after${args}) ${page} }`;
  const listings: [string, string, Kind[]][] = [
    [articles(''), 'PUBLISHED_AT_DESC', ['epochMs', 'id']],
    [articles(', orderBy: PUBLISHED_AT_ASC'), 'PUBLISHED_AT_ASC', ['epochMs', 'id']],
    [articles(', orderBy: UPDATED_AT_DESC'), 'UPDATED_AT_DESC', ['epochMs', 'id']],
    [articles(', orderBy: TITLE_ASC'), 'TITLE_ASC', ['text', 'id']],
    [articles(', filter: { search: "serie" }'), 'RELEVANCE', ['double', 'id']],
    [`query ($after: String) { tags(first: 2, after: $after) ${page} }`, 'name:t', ['text', 'id']],
    [
      `query ($after: String) { authors(first: 2, after: $after) ${page} }`,
      'name:au',
      ['text', 'id'],
    ],
  ];

  it.each(listings.map(([query, kind, shape]) => [kind, query, shape] as const))(
    'refuses forged %s cursors of top-level lists with 400 before any SQL',
    async (kind, query, shape) => {
      const cursors = forgedCursors(kind, [...shape]);
      expect(cursors.length).toBeGreaterThan(9);
      for (const json of cursors) await expectRefused(query, cursorOf(json), 0);
    },
  );

  it('refuses forged viewStats cursors with 400 before the series are read', async () => {
    const query = `query ($after: String) { viewStats(from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z", after: $after) { edges { node { total } } } }`;
    // The token's last use is written once a minute (the clock stands still): once, here.
    await gateway.gql(query, {}, { authorization: `Bearer ${token}` });
    for (const json of forgedCursors('viewStats', ['id'])) {
      // One statement: the token's own check.
      await expectRefused(query, cursorOf(json), 1, { authorization: `Bearer ${token}` });
    }
  });

  it('refuses the same values in cursors of Author.articles and Tag.articles', async () => {
    for (const parent of ['author(slug: "autor-1")', 'tag(slug: "thema-1")']) {
      const query = `query ($after: String) { ${parent} { articles(first: 2, after: $after) ${page} } }`;
      for (const json of forgedCursors('PUBLISHED_AT_DESC', ['epochMs', 'id'])) {
        // One statement: the author or tag itself, read before its articles' cursor.
        await expectRefused(query, cursorOf(json), 1);
      }
    }
  });

  it('accepts the largest values of each kind', async () => {
    for (const json of [
      '["PUBLISHED_AT_DESC",8640000000000000,2147483647]',
      '["PUBLISHED_AT_ASC",-8640000000000000,1]',
      '["TITLE_ASC","zzz",2147483647]',
      '["RELEVANCE",1e308,2147483647]',
    ]) {
      const kind = (JSON.parse(json) as string[])[0];
      const [query] = listings.find(listing => listing[1] === kind) ?? [''];
      const response = await gateway.gql(query, { after: cursorOf(json) });
      expect([response.status, response.body.errors]).toEqual([200, undefined]);
    }
  });

  it('refuses forged mostRead cursors with 400 before the ranking is read', async () => {
    const query = `query ($after: String) { mostRead(first: 2, after: $after) ${page} }`;
    const first = await gateway.gql<Json>(query, {});
    expect(first.body.errors).toBeUndefined();
    const real = JSON.parse(
      Buffer.from(first.body.data?.mostRead.edges[0].cursor, 'base64url').toString('utf8'),
    ) as [string, string, number, number, number];
    const [kind, ...values] = real;
    const forged = forgedCursors(
      kind,
      ['text', 'safeInteger', 'double', 'id'],
      values.map(value => JSON.stringify(value)),
    );
    // The digest's own bad values are refused as another ranking's cursor, also before any SQL.
    for (const json of forged) {
      const { response, statements } = await counted(query, { after: cursorOf(json) });
      expect([response.status, response.body.errors?.[0]?.extensions?.code, statements]).toEqual([
        400,
        'BAD_USER_INPUT',
        [0, 0],
      ]);
    }
  });

  it('refuses a mostRead cursor of another ranking with 400 before that ranking is read', async () => {
    const query = /* GraphQL */ `
      query ($after: String, $window: ViewWindow) {
        mostRead(first: 2, after: $after, window: $window) {
          edges {
            cursor
          }
        }
      }
    `;
    const first = await gateway.gql<Json>(query, { window: 'LAST_24_HOURS' });
    const after: string = first.body.data?.mostRead.edges[0].cursor;
    // LAST_30_DAYS has not been read yet: refusing it must not read it either.
    const { response, statements } = await counted(query, { after, window: 'LAST_30_DAYS' });
    expect({
      status: response.status,
      code: response.body.errors?.[0]?.extensions?.code,
      message: response.body.errors?.[0]?.message,
      statements,
    }).toEqual({
      status: 400,
      code: 'BAD_USER_INPUT',
      message:
        'after must be a cursor of mostRead with the same window, metric and filter, got one of another ranking.',
      statements: [0, 0],
    });
    // The same ranking's first page, for comparison: its snapshot is read (one statement, two
    // with the fallback to the newest articles) and the articles are loaded.
    const other = await counted(query, { window: 'LAST_30_DAYS' });
    expect(other.statements[1]).toBeGreaterThan(0);
  });

  it('still pages with the cursors it hands out', async () => {
    const query = `query ($after: String) { articles(first: 2, after: $after) ${page} }`;
    const first = await gateway.gql<Json>(query, {});
    const next = await gateway.gql<Json>(query, {
      after: first.body.data?.articles.edges[1].cursor,
    });
    expect(next.body.errors).toBeUndefined();
    expect(next.body.data?.articles.edges.map((edge: Json) => edge.node.slug)).toEqual([
      'serie-003',
      'serie-002',
    ]);
  });
});
