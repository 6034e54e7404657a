import { startTestGateway, type TestGateway } from './helpers/testGateway';

describe('operational routes', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway('sqlite', { env: { MEDIA_DIR: 'content/demo/media' } });
  });
  afterAll(() => gateway.close());

  it('answers /health while the process is up and /ready while the database answers', async () => {
    const health = await fetch(`${gateway.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${gateway.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('counts requests by operation and SQL statements in /metrics', async () => {
    await gateway.gql('query Startseite { articles(first: 1) { totalCount } }');
    const response = await fetch(`${gateway.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^gateway_graphql_requests_total\{operation="Startseite"\} 1$/m);
    expect(text).toMatch(/^gateway_db_statements_total \d+$/m);
  });

  it('serves Apollo Sandbox on GET /graphql for a browser outside production', async () => {
    const response = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/sandbox/i);
  });

  it('serves the demo media files and answers 404 for unknown ones', async () => {
    const svg = await fetch(`${gateway.url}/media/author-anna-berger.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(svg.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect((await fetch(`${gateway.url}/media/nope.svg`)).status).toBe(404);
    expect((await fetch(`${gateway.url}/media/../package.json`)).status).toBe(404);
  });
});
