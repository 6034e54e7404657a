import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { loadConfig } from '../src/config';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { defaultSiteDir, demoSiteRoute } from '../src/http/demoSiteRoute';

describe('the demo site route (DEMO_SITE)', () => {
  let gateway: TestGateway;
  afterEach(() => gateway.close());

  it('serves the page shell at the page paths, revalidated on every load', async () => {
    gateway = await startTestGateway('sqlite');
    for (const path of [
      '/',
      '/artikel/fuehren-ohne-titel',
      '/thema/karriere',
      '/autor/anna-berger',
    ]) {
      const response = await fetch(`${gateway.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('speculation-rules')).toBe(
        '"/site/articles.speculationrules.json"',
      );
      const html = await response.text();
      expect(html).toMatch(/^<!doctype html>\n<html lang="de">/);
      expect(html).toContain('<script type="module" src="/site/app.js"></script>');
    }
  });

  it('serves the assets under /site/ for five minutes, then by ETag, and 404s the rest', async () => {
    gateway = await startTestGateway('sqlite');
    const script = await fetch(`${gateway.url}/site/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=300');
    // Revalidated by its ETag once stale (fetch itself sends no-cache with If-None-Match).
    expect(script.headers.get('etag')).toMatch(/^W\/"/);
    const rules = await fetch(`${gateway.url}/site/articles.speculationrules.json`);
    expect(rules.headers.get('content-type')).toBe('application/speculationrules+json');
    expect(await rules.json()).toEqual({
      prerender: [{ where: { href_matches: '/artikel/*' }, eagerness: 'moderate' }],
    });
    const missing = await fetch(`${gateway.url}/site/nothing.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    const outside = await fetch(`${gateway.url}/site/..%2Fpackage.json`);
    expect(outside.status).toBe(403);
    expect(await outside.json()).toMatchObject({
      errors: [{ extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('leaves / and /site/ alone with DEMO_SITE=false', async () => {
    gateway = await startTestGateway('sqlite', { env: { DEMO_SITE: 'false' } });
    const page = await fetch(`${gateway.url}/artikel/fuehren-ohne-titel`);
    expect(page.status).toBe(404);
    expect((await fetch(`${gateway.url}/site/app.js`)).status).toBe(404);
    expect(await (await fetch(`${gateway.url}/`)).text()).not.toContain('/site/app.js');
  });

  it('is on by default outside production and off in production', () => {
    expect(loadConfig({}).demoSite).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).demoSite).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).demoSite).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DEMO_SITE: 'true' }).demoSite).toBe(true);
  });
});

describe('the demo site route, alone on express', () => {
  it('ends a page answer there: the route behind it (the endpoints page at /) is never reached', async () => {
    const app = express();
    let reachedBehind = 0;
    app.use(demoSiteRoute({ siteDir: defaultSiteDir }));
    app.get('/', (_req, res) => {
      reachedBehind += 1;
      res.status(500).end();
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      for (const page of ['/', '/artikel/fuehren-ohne-titel']) {
        const response = await fetch(`http://127.0.0.1:${port}${page}`);
        expect(response.status).toBe(200);
        await response.text();
      }
      // sendFile's callback runs when the transfer has ended; give it that moment.
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(reachedBehind).toBe(0);
    } finally {
      server.close();
    }
  });
});
