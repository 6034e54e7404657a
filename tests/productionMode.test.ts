import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createGateway, type Gateway } from '../src/gateway';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { importContent } from '../src/content/import/contentImport';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: {
    data?: unknown;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

describeEachDatabase('production mode', dialect => {
  let database: TestDatabase;
  let gateway: Gateway;
  let url: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const config = loadConfig({
      NODE_ENV: 'production',
      DEMO_CONTENT: 'false',
      RATE_LIMIT_ENABLED: 'false',
      ...database.env,
    });
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    gateway = await createGateway(config, { log: pino({ level: 'info' }, stream) });
    const report = await importContent(gateway.db, articleSeries(4), new Date());
    expect(report.problems).toEqual([]);
    url = `http://127.0.0.1:${await gateway.server.listen(0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await gateway.stop();
    await database.drop();
  });

  async function send(init: RequestInit & { path?: string } = {}): Promise<Answer> {
    const response = await fetch(`${url}${init.path ?? '/graphql'}`, init);
    const text = await response.text();
    let json: Answer['json'] = {};
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON (a landing page, say): the tests look at the text
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  const post = (query: string, variables?: Record<string, unknown>) =>
    send({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });

  it('serves public content on this database', async () => {
    const answer = await post('{ articles(first: 2) { edges { node { title } } } }');
    expect(answer.status).toBe(200);
    expect(answer.json.errors).toBeUndefined();
    expect(answer.headers.get('x-sql-statements')).toBeNull();
  });

  it('gives no "Did you mean" suggestions for a misspelt field, argument or enum value', async () => {
    const answers = await Promise.all([
      post('{ articel(slug: "serie-001") { title } }'),
      post('{ article(slugg: "serie-001") { title } }'),
      post('{ articles(orderBy: PUBLISHED_AT) { totalCount } }'),
      post('query($o: ArticleOrder) { articles(orderBy: $o) { totalCount } }', { o: 'TITLE' }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.json.errors?.length).toBeGreaterThan(0);
      expect(answer.text).not.toMatch(/did you mean/i);
      // A suggestion would name the real field, argument or value.
      expect(answer.text).not.toMatch(/"article"|\\"slug\\"|PUBLISHED_AT_DESC|TITLE_ASC/);
    }
  });

  it('refuses introspection', async () => {
    const answer = await post('{ __schema { queryType { name } } }');
    expect(answer.status).toBe(400);
    expect(answer.json.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.json.errors?.[0].message).toMatch(/introspection is not allowed/);
  });

  it('does not serve the Sandbox or any landing page', async () => {
    const answer = await send({ headers: { accept: 'text/html' } });
    expect(answer.text).not.toMatch(/<html|sandbox|apollographql\.com/i);
    expect(answer.status).toBeGreaterThanOrEqual(400);
  });

  it('logs one JSON line a request with id, operation, duration and cost, and never IPs, tokens or variables', async () => {
    await send({
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'log-test-1',
        'x-forwarded-for': '203.0.113.77',
        authorization: 'Bearer cgt_secret-in-a-header',
      },
      body: JSON.stringify({
        query: 'query LogTest($slug: String!) { article(slug: $slug) { title } }',
        variables: { slug: 'private-variable-value' },
      }),
    });
    const line = logLines.find(entry => entry.includes('"requestId":"log-test-1"'));
    expect(JSON.parse(line as string)).toMatchObject({
      requestId: 'log-test-1',
      operationName: 'LogTest',
      operationType: 'query',
      status: 200,
      cost: 1,
      durationMs: expect.any(Number),
    });
    const all = logLines.join('\n');
    expect(all).not.toMatch(/127\.0\.0\.1|203\.0\.113\.77|::1|cgt_secret|private-variable-value/);
  });

  it('reports database pool use in /metrics', async () => {
    const metrics = await send({ path: '/metrics' });
    expect(metrics.text).toMatch(/gateway_db_pool_connections\{state="open"\} [1-9]/);
  });

  it('masks an unexpected failure as INTERNAL_SERVER_ERROR with a request id, detail only in the log', async () => {
    // Break the database under the gateway: the driver's error names the table and the SQL.
    await gateway.db.query('DROP TABLE article_author');
    const answer = await send({
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'prod-test-1' },
      body: JSON.stringify({ query: '{ article(slug: "serie-001") { title authors { name } } }' }),
    });
    expect(answer.status).toBe(200);
    const error = answer.json.errors?.[0];
    expect(error?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'prod-test-1' });
    expect(error?.message).toBe('Internal server error (request prod-test-1).');
    expect(answer.text).not.toMatch(/article_author|SELECT|SQLITE|relation|stack|\n\s+at /i);
    const logged = logLines.filter(line => line.includes('prod-test-1')).join('\n');
    expect(logged).toMatch(/article_author/);
  });
});

describe('CSRF prevention and mutations over GET', () => {
  let database: TestDatabase;
  let gateway: Gateway;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    gateway = await createGateway(
      loadConfig({
        NODE_ENV: 'production',
        DEMO_CONTENT: 'false',
        LOG_LEVEL: 'silent',
        ...database.env,
      }),
    );
    url = `http://127.0.0.1:${await gateway.server.listen(0, '127.0.0.1')}/graphql`;
    // The view flusher's timer runs SQL in the background; stopped, gateway_db_statements_total
    // counts only what requests run.
    await gateway.views.counter.stop();
  });
  afterAll(async () => {
    await gateway.stop();
    await database.drop();
  });

  const query = encodeURIComponent('{ tags(first: 1) { totalCount } }');

  it('refuses a simple GET with content-type text/plain', async () => {
    const response = await fetch(`${url}?query=${query}`, {
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Cross-Site Request Forgery/);
  });

  it('refuses a simple GET without any header', async () => {
    const response = await fetch(`${url}?query=${query}`);
    expect(response.status).toBe(400);
  });

  it('refuses a simple POST with content-type text/plain', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ tags(first: 1) { totalCount } }' }),
    });
    expect(response.status).toBe(400);
  });

  it('serves a GET with the apollo-require-preflight header', async () => {
    const response = await fetch(`${url}?query=${query}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown }).data).toEqual({
      tags: { totalCount: 0 },
    });
  });

  it('refuses a mutation over GET with 405 before it runs', async () => {
    const mutation = encodeURIComponent(
      'mutation { recordView(input: { slug: "anything", visitorId: "v1" }) { counted } }',
    );
    const before = (await gateway.metrics.dbStatements.get()).values[0]?.value ?? 0;
    const response = await fetch(`${url}?query=${mutation}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.text()).toMatch(/GET requests only support query operations/);
    expect((await gateway.metrics.dbStatements.get()).values[0]?.value ?? 0).toBe(before);
  });
});
