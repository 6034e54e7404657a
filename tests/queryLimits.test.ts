import { getIntrospectionQuery } from 'graphql';
import { describeEachDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { statementsRun } from './helpers/statementsRun';
import { type TestGateway, startTestGateway } from './helpers/testGateway';

interface RawResponse {
  status: number;
  headers: Headers;
  body: {
    data?: unknown;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
    extensions?: Record<string, unknown>;
  };
}

async function post(gateway: TestGateway, body: string): Promise<RawResponse> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) };
}

const repeat = (count: number, make: (index: number) => string) =>
  Array.from({ length: count }, (_, index) => make(index)).join(' ');

const depthBomb = /* GraphQL */ `
  {
    article(slug: "serie-000") {
      related {
        related {
          related {
            related {
              related {
                related {
                  related {
                    related {
                      related {
                        title
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

const costBomb = /* GraphQL */ `
  {
    tags(first: 100) {
      edges {
        node {
          articles(first: 100) {
            edges {
              node {
                title
                authors {
                  name
                }
              }
            }
          }
        }
      }
    }
  }
`;

const sixteenAliases = `{ ${repeat(16, i => `a${i}: article(slug: "serie-000") { title }`)} }`;

const fiftyOneDirectives = `{ article(slug: "serie-000") { ${repeat(51, () => '...F @include(if: true)')} } }
fragment F on Article { title }`;

const listingPage = /* GraphQL */ `
  query ListingPage($first: Int!) {
    articles(first: $first) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          slug
          title
          excerpt
          publishedAt
          viewCount
          readingTime {
            minutes
            label
          }
          mainImage {
            url
            alt
            width
            height
          }
          primaryAuthor {
            name
            slug
            avatar {
              url
            }
          }
          authors {
            name
            slug
          }
          tags {
            name
            slug
          }
        }
      }
    }
  }
`;

const articlePage = /* GraphQL */ `
  query ArticlePage($slug: String!) {
    article(slug: $slug) {
      id
      title
      body(format: HTML)
      publishedAt
      updatedAt
      seoTitle
      seoDescription
      canonicalUrl
      headings {
        level
        text
        anchor
      }
      readingTime {
        minutes
        words
        label
      }
      mainImage {
        url
        alt
        caption
        width
        height
      }
      authors {
        name
        slug
        bio
        avatar {
          url
        }
        articleCount
        articles(first: 5) {
          edges {
            node {
              title
              slug
            }
          }
        }
      }
      tags {
        name
        slug
        articleCount
      }
      related(first: 3) {
        title
        slug
        excerpt
        mainImage {
          url
        }
        primaryTag {
          name
        }
      }
    }
  }
`;

describeEachDatabase('query limits', dialect => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    await gateway.importFiles(articleSeries(12));
    // The view flusher's timer runs SQL in the background; stopped, gateway_db_statements_total
    // counts only what requests run.
    await gateway.gateway.views.counter.stop();
  });
  afterAll(() => gateway.close());

  interface Case {
    name: string;
    send: () => Promise<RawResponse>;
    status: number;
    code: string;
    message?: RegExp;
  }

  const gql = (query: string, variables?: Record<string, unknown>, operationName?: string) => () =>
    post(gateway, JSON.stringify({ query, variables, operationName }));

  const cases: Case[] = [
    {
      name: 'a query 10 levels deep',
      send: gql(depthBomb),
      status: 400,
      code: 'QUERY_TOO_COMPLEX',
      message: /10 levels deep; the limit is 8 \(QUERY_MAX_DEPTH\)/,
    },
    {
      name: '100 tags x 100 articles with their authors',
      send: gql(costBomb),
      status: 400,
      code: 'QUERY_TOO_COMPLEX',
      message: /Query costs \d+; the limit is 5000 \(QUERY_MAX_COST\)/,
    },
    {
      name: '16 aliases',
      send: gql(sixteenAliases),
      status: 400,
      code: 'QUERY_TOO_COMPLEX',
      message: /16 aliases; the limit is 15/,
    },
    {
      name: '51 directives',
      send: gql(fiftyOneDirectives),
      status: 400,
      code: 'QUERY_TOO_COMPLEX',
      message: /51 directives; the limit is 50/,
    },
    {
      name: 'more than 1000 tokens',
      send: gql(`{ article(slug: "serie-000") { ${repeat(1001, () => 'title')} } }`),
      status: 400,
      code: 'QUERY_TOO_COMPLEX',
      message: /more than 1000 tokens/,
    },
    {
      name: 'a query longer than 15000 characters',
      send: gql(`{ article(slug: "serie-000") { title } } ${'#'.repeat(15_000)}`),
      status: 400,
      code: 'QUERY_TOO_COMPLEX',
      message: /the limit is 15000 \(QUERY_MAX_LENGTH\)/,
    },
    {
      name: 'a 200 kB body',
      send: () =>
        post(
          gateway,
          JSON.stringify({ query: '{ tags { totalCount } }', pad: 'x'.repeat(200_000) }),
        ),
      status: 413,
      code: 'QUERY_TOO_COMPLEX',
      message: /limit is 102400 \(REQUEST_BODY_LIMIT_BYTES\)/,
    },
    {
      name: 'an array body (batching)',
      send: () => post(gateway, JSON.stringify([{ query: '{ tags { totalCount } }' }])),
      status: 400,
      code: 'BAD_REQUEST',
      message: /batching disabled/,
    },
    {
      name: 'first: 0',
      send: gql('{ articles(first: 0) { edges { node { title } } } }'),
      status: 400,
      code: 'BAD_USER_INPUT',
      message: /first must be between 1 and 100, got 0\./,
    },
    {
      name: 'first: 101',
      send: gql('{ tags(first: 101) { edges { node { name } } } }'),
      status: 400,
      code: 'BAD_USER_INPUT',
      message: /got 101\./,
    },
    {
      name: 'first: -1 on a nested list',
      send: gql('{ article(slug: "serie-000") { related(first: -1) { title } } }'),
      status: 400,
      code: 'BAD_USER_INPUT',
      message: /got -1\./,
    },
    {
      name: 'first: 101 in a variable',
      send: gql('query($n: Int!) { authors(first: $n) { totalCount } }', { n: 101 }),
      status: 400,
      code: 'BAD_USER_INPUT',
      message: /got 101\./,
    },
    {
      name: 'first: 2147483648 in a variable',
      send: gql('query($n: Int!) { articles(first: $n) { totalCount } }', { n: 2147483648 }),
      status: 400,
      code: 'BAD_USER_INPUT',
      message: /non 32-bit signed integer/,
    },
    {
      // A literal outside Int is a document error, found by validation before our limits run.
      name: 'first: 2147483648 as a literal',
      send: gql('{ articles(first: 2147483648) { totalCount } }'),
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: /non 32-bit signed integer value: 2147483648/,
    },
    {
      name: 'malformed JSON',
      send: () => post(gateway, '{"query": "{ tags { totalCount } }"'),
      status: 400,
      code: 'BAD_REQUEST',
      message: /malformed JSON/,
    },
    {
      name: 'a variable of the wrong type',
      send: gql('query($slug: String!) { article(slug: $slug) { title } }', { slug: { a: 1 } }),
      status: 400,
      code: 'BAD_USER_INPUT',
      message: /\$slug/,
    },
    {
      // PostgreSQL text cannot hold U+0000; both databases refuse it the same way, up front.
      name: 'a NUL character in a variable',
      send: gql('query($slug: String!) { article(slug: $slug) { title } }', { slug: 'a\u0000b' }),
      status: 400,
      code: 'BAD_USER_INPUT',
      message: /NUL character/,
    },
    {
      name: 'an unknown operation name',
      send: gql('query A { tags { totalCount } } query B { authors { totalCount } }', {}, 'C'),
      status: 400,
      code: 'OPERATION_RESOLUTION_FAILURE',
      message: /Unknown operation named "C"/,
    },
  ];

  it.each(cases)('refuses $name before any SQL runs', async ({ send, status, code, message }) => {
    const before = await statementsRun(gateway);
    const response = await send();
    expect(await statementsRun(gateway)).toBe(before);
    expect(response.status).toBe(status);
    expect(response.body.data ?? undefined).toBeUndefined();
    expect(response.body.errors?.[0].extensions?.code).toBe(code);
    if (message) expect(response.body.errors?.[0].message).toMatch(message);
    expect(JSON.stringify(response.body)).not.toMatch(/stacktrace|\n\s+at /);
    const header = response.headers.get('x-sql-statements');
    if (header !== null) expect(Number(header)).toBe(0);
  });

  it('names the limit and the value in the error extensions', async () => {
    const response = await gql(sixteenAliases)();
    expect(response.body.errors?.[0].extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'aliases',
      maximum: 15,
      value: 16,
    });
  });

  it('counts refused queries by limit in /metrics', async () => {
    await gql(depthBomb)();
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_rejected_queries_total\{limit="depth"\} [1-9]/);
  });

  it('reports the cost of an accepted query in extensions.cost', async () => {
    const response = await gql(listingPage, { first: 20 })();
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    const cost = response.body.extensions?.cost as { requested: number; maximum: number };
    expect(cost.maximum).toBe(5000);
    expect(cost.requested).toBeGreaterThan(20);
  });

  it('lets a listing page of 100 articles and an article page through with room to spare', async () => {
    const listing = await gql(listingPage, { first: 100 })();
    expect(listing.body.errors).toBeUndefined();
    const article = await gql(articlePage, { slug: 'serie-003' })();
    expect(article.body.errors).toBeUndefined();
    const listingCost = (listing.body.extensions?.cost as { requested: number }).requested;
    const articleCost = (article.body.extensions?.cost as { requested: number }).requested;
    // 1 + 100 x 21: per card the edge and the node 1 each, viewCount, readingTime and mainImage 1
    // each, primaryAuthor 2, authors and tags 1 + 5 x 1 each, and (counted per item, as before)
    // totalCount and pageInfo 1 each. The article page: its authors 1 + 5 x 14, tags 1 + 5 x 2,
    // related 1 + 3 x 3, headings 1 + 5 x 1, and 6 more.
    expect(listingCost).toBe(2101);
    expect(articleCost).toBe(102);
    expect(listingCost).toBeLessThanOrEqual(5000 / 2);
    expect(articleCost).toBeLessThanOrEqual(5000 / 10);
  });

  it('prices a list of leaf fields by the items it returns, and refuses 100 x 100 cards', async () => {
    const response = await gql(
      '{ articles(first: 100) { edges { node { related(first: 100) { slug title excerpt } } } } }',
    )();
    expect(response.status).toBe(400);
    // 1 + 100 x (edges 1 + node 1 + related (1 + 100 x 1)).
    expect(response.body.errors?.[0].extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'cost',
      maximum: 5000,
      value: 10301,
    });
    const costOf = async (query: string) =>
      ((await gql(query)()).body.extensions?.cost as { requested: number }).requested;
    // Each item costs 1 with no object under it: 1 + 3 x 1, 1 + 5 x 1.
    expect(await costOf('{ article(slug: "serie-000") { related { slug } } }')).toBe(1 + 4);
    expect(await costOf('{ article(slug: "serie-000") { tags { slug } } }')).toBe(1 + 6);
  });

  it('prices lists the same through inline and named fragments', async () => {
    const costOf = async (query: string) =>
      ((await gql(query)()).body.extensions?.cost as { requested: number }).requested;
    const plain = await costOf('{ articles(first: 10) { edges { node { tags { slug } } } } }');
    expect(plain).toBe(1 + 10 * (1 + 1 + 6));
    expect(
      await costOf(
        '{ articles(first: 10) { edges { ... on ArticleEdge { node { ...Tags } } } } } fragment Tags on Article { tags { slug } }',
      ),
    ).toBe(plain);
  });

  it('prices nested fragment spreads by what they expand to, walking each fragment once', async () => {
    // 20 fragments, each spreading the one before twice: 2^20 bodies in 198 tokens.
    const fragments = ['fragment F0 on Article { body }'];
    for (let level = 1; level <= 20; level += 1) {
      fragments.push(`fragment F${level} on Article { ...F${level - 1} ...F${level - 1} }`);
    }
    const response = await gql(
      `{ article(slug: "serie-000") { ...F20 } } ${fragments.join(' ')}`,
    )();
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0].extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'cost',
      value: 1 + 2 ** 20,
    });
  });

  it('lets the introspection query through at a fixed cost of 1 (introspection is on outside production)', async () => {
    const response = await gql(getIntrospectionQuery())();
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    // Priced by its selections it cost 2,796: more than half the default QUERY_MAX_COST.
    expect((response.body.extensions?.cost as { requested: number }).requested).toBe(1);
  });

  it('scales the cost of a connection with its first argument', async () => {
    const costOf = async (first: number) =>
      (
        (
          await gql(
            'query($n: Int!) { articles(first: $n) { edges { node { authors { name } } } } }',
            { n: first },
          )()
        ).body.extensions?.cost as { requested: number }
      ).requested;
    const [ten, twenty] = [await costOf(10), await costOf(20)];
    expect(twenty - 1).toBe(2 * (ten - 1));
  });

  it('checks a query text it has accepted before anew with each request’s variables', async () => {
    // The cost of a document is kept per value of the variables it depends on; the other checks
    // still see every request's variables.
    const query =
      'query($n: Int!, $after: String, $big: Boolean!) { articles(first: $n, after: $after) { edges { node { title authors @include(if: $big) { name } } } } }';
    const costOf = async (variables: Record<string, unknown>) => {
      const response = await gql(query, variables)();
      return {
        response,
        cost: (response.body.extensions?.cost as { requested: number })?.requested,
      };
    };
    const small = await costOf({ n: 5, big: false });
    expect(small.response.status).toBe(200);
    expect((await costOf({ n: 5, big: false, after: null })).cost).toBe(small.cost);
    expect((await costOf({ n: 5, big: true })).cost).toBeGreaterThan(small.cost);
    expect((await costOf({ n: 50, big: false })).cost).toBeGreaterThan(small.cost);
    const tooMany = await costOf({ n: 500, big: false });
    expect(tooMany.response.status).toBe(400);
    expect(tooMany.response.body.errors?.[0].message).toMatch(
      /first must be between 1 and 100, got 500/,
    );
    const nul = await costOf({ n: 5, big: false, after: 'a\u0000b' });
    expect(nul.response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    // A default for $n, then an explicit null: the cost is kept apart for the two, and the null is
    // refused as an explicit null always is.
    const withDefault = 'query($n: Int = 5) { articles(first: $n) { edges { node { title } } } }';
    expect((await gql(withDefault, {})()).status).toBe(200);
    const explicitNull = await gql(withDefault, { n: null })();
    expect(explicitNull.body.errors?.[0].message).toMatch(
      /first must be between 1 and 100, got null/,
    );
    const notAnInt = await costOf({ n: 'five', big: false });
    expect(notAnInt.response.status).toBe(400);
    expect(notAnInt.response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('adds the complexity TypeGraphQL gives a field that runs its own SQL, once per item', async () => {
    const costOf = async (fields: string) =>
      (
        (await gql(`{ articles(first: 10) { edges { node { ${fields} } } } }`)()).body.extensions
          ?.cost as { requested: number }
      ).requested;
    expect((await costOf('title body')) - (await costOf('title'))).toBe(10);
  });

  it('counts a connection edges/node pair as one level of depth', async () => {
    // tag > articles > edges/node > authors > articles > edges/node > tags: 6 object levels.
    const response = await gql(/* GraphQL */ `
      {
        tag(slug: "thema-1") {
          articles(first: 2) {
            edges {
              node {
                authors {
                  articles(first: 2) {
                    edges {
                      node {
                        tags {
                          name
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    `)();
    expect(response.body.errors).toBeUndefined();
  });
});

// What GraphiQL, Apollo Sandbox and GraphQL Code Generator send: getIntrospectionQuery with the
// options each of them turns on (descriptions are on by default).
const introspectionQueries = [
  { name: "graphql-js's getIntrospectionQuery()", query: getIntrospectionQuery() },
  {
    name: 'the full variant (descriptions, specifiedByUrl, directiveIsRepeatable, schemaDescription, inputValueDeprecation, oneOf)',
    query: getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    }),
  },
  {
    name: "GraphiQL's (schemaDescription, inputValueDeprecation)",
    query: getIntrospectionQuery({ schemaDescription: true, inputValueDeprecation: true }),
  },
];

const twentyCards = /* GraphQL */ `
  articles(first: 20) {
    edges {
      node {
        title
        authors {
          name
        }
      }
    }
  }
`;

describeEachDatabase('introspection and QUERY_MAX_COST', dialect => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, { env: { QUERY_MAX_COST: '50' } });
    await gateway.importFiles(articleSeries(3));
  });
  afterAll(() => gateway.close());

  const send = (query: string, operationName?: string) =>
    post(gateway, JSON.stringify({ query, operationName }));
  const costOf = (response: RawResponse) =>
    (response.body.extensions?.cost as { requested: number } | undefined)?.requested;

  it.each(introspectionQueries)('answers $name under QUERY_MAX_COST=50', async ({ query }) => {
    const response = await send(query, 'IntrospectionQuery');
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toHaveProperty('__schema.queryType.name', 'Query');
    expect(costOf(response)).toBe(1);
  });

  it('prices __type like __schema, once per aliased copy, and __typename at 0', async () => {
    expect(costOf(await send('{ __typename }'))).toBe(0);
    const twice = await send(
      '{ a: __type(name: "Article") { fields { name type { name } } } b: __schema { types { name fields { name } } } }',
    );
    expect(twice.body.errors).toBeUndefined();
    expect(costOf(twice)).toBe(2);
  });

  it('still refuses an expensive articles query', async () => {
    const response = await send(`{ ${twentyCards} }`);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0].extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'cost',
      maximum: 50,
    });
  });

  it('charges a mixed operation for its other fields, and __schema at 1', async () => {
    const alone = await send(`{ ${twentyCards} }`);
    const mixed = await send(`{ __schema { types { name } } ${twentyCards} }`);
    expect(mixed.status).toBe(400);
    const value = (response: RawResponse) => response.body.errors?.[0].extensions?.value as number;
    expect(value(mixed)).toBe(value(alone) + 1);
    const cheap = await send(
      '{ __schema { types { name } } articles(first: 2) { edges { node { title } } } }',
    );
    expect(cheap.body.errors).toBeUndefined();
    // __schema 1; the connection 1 + 2 x (its edges 1 + the node 1).
    expect(costOf(cheap)).toBe(1 + (1 + 2 * 2));
  });

  it('keeps introspection bounded by graphql-js (MaxIntrospectionDepthRule), whatever its cost', async () => {
    const response = await send(
      '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }',
    );
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0].message).toMatch(/Maximum introspection depth exceeded/);
  });
});
