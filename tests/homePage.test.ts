import { startTestGateway, type TestGateway } from './helpers/testGateway';

describe('GET / (the endpoints page) [sqlite]', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    // With the demo site on (the default outside production) it takes GET / in front of this page.
    gateway = await startTestGateway('sqlite', { env: { DEMO_SITE: 'false' } });
  });
  afterAll(() => gateway.close());

  it('answers a short HTML page naming every endpoint', async () => {
    const response = await fetch(`${gateway.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toMatch(/^<!doctype html>/);
    for (const endpoint of [
      'href="/graphql"',
      'POST /views',
      'GET /exports/views',
      'analytics:read',
      'href="/health"',
      'href="/ready"',
      'href="/metrics"',
      '/media/',
    ]) {
      expect(html).toContain(endpoint);
    }
    expect(html).toContain('Apollo Sandbox');
    expect(html).toContain('"Browser clients (CORS)"');
    expect(Buffer.byteLength(html)).toBeLessThan(8 * 1024);
  });

  it('loads nothing from anywhere: no script, no external link, and a CSP that says so', async () => {
    const response = await fetch(`${gateway.url}/`);
    const html = await response.text();
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    for (const [, target] of html.matchAll(/href="([^"]*)"/g)) expect(target).toMatch(/^\/[a-z]/);
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none';/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await fetch(`${gateway.url}/`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe('');
  });

  it('leaves other paths and methods to the JSON 404', async () => {
    const response = await fetch(`${gateway.url}/`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      errors: [{ extensions: { code: 'NOT_FOUND' } }],
    });
  });
});

describe('GET / in production [sqlite]', () => {
  it('is still the page, and says that there is no explorer', async () => {
    const gateway = await startTestGateway('sqlite', {
      env: { NODE_ENV: 'production', PUBLIC_URL: 'https://api.example.com' },
    });
    try {
      const response = await fetch(`${gateway.url}/`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('href="/graphql"');
      expect(html).toContain('<code>SANDBOX</code> is off, as in production');
      expect(html).toContain('introspection is off');
      expect(html).not.toContain('Apollo Sandbox');
      expect(html).toContain('curl https://api.example.com/graphql');
    } finally {
      await gateway.close();
    }
  });
});
