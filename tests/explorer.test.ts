import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { explorerAssets } from '../src/http/explorerAssets';
import { readExplorerTabs } from '../src/http/explorerTabs';

const articleTitle = [
  'query ArticleTitle($slug: String!) {',
  '  article(slug: $slug) {',
  '    id',
  '    title',
  '  }',
  '}',
].join('\n');

const tags = 'query Tags { tags(first: 3) { edges { node { id } } } }';

/** A folder like docs/queries: two operations (one with variables), a blank file, a note. */
function queriesFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'explorer-queries-'));
  fs.writeFileSync(path.join(dir, 'ArticleTitle.graphql'), `${articleTitle}\n`);
  fs.writeFileSync(path.join(dir, 'ArticleTitle.variables.json'), '{"slug":"serie-000"}');
  fs.writeFileSync(path.join(dir, 'Blank.graphql'), '\n');
  fs.writeFileSync(path.join(dir, 'Tags.graphql'), tags);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not an operation');
  return dir;
}

/** Every URL (src, href, JSON strings) a page names. */
function urlsIn(html: string): string[] {
  return [...html.matchAll(/(?:https?:)?\/\/[^\s"'<>);]+|(?:src|href)="([^"]+)"/g)].map(
    match => match[1] ?? match[0],
  );
}

/** The nonce of the page's inline script, and the JSON config it embeds, if any. */
function pageParts(html: string): { scriptNonce: string | undefined; config: unknown } {
  const scriptNonce = /<script nonce="([^"]+)">/.exec(html)?.[1];
  const json = /<script type="application\/json" id="explorer-config">([^<]*)<\/script>/.exec(html);
  return { scriptNonce, config: json ? JSON.parse(json[1]) : undefined };
}

describe('the explorer over HTTP', () => {
  let gateway: TestGateway;
  let queriesDir: string;

  beforeAll(async () => {
    queriesDir = queriesFolder();
    gateway = await startTestGateway('sqlite', { env: { EXPLORER_QUERIES_DIR: queriesDir } });
  });
  afterAll(async () => {
    await gateway.close();
    fs.rmSync(queriesDir, { recursive: true, force: true });
  });

  const html = (pathname: string) =>
    fetch(`${gateway.url}${pathname}`, { headers: { accept: 'text/html' } });

  it('reads one tab per .graphql file in name order, with its variables, leaving blank files out', async () => {
    expect(await readExplorerTabs(queriesDir)).toEqual([
      { query: articleTitle, variables: '{\n  "slug": "serie-000"\n}' },
      { query: tags },
    ]);
  });

  it('reads no tabs from a missing or an empty folder', async () => {
    expect(await readExplorerTabs(path.join(queriesDir, 'nope'))).toEqual([]);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'explorer-empty-'));
    expect(await readExplorerTabs(empty)).toEqual([]);
    fs.rmdirSync(empty);
  });

  it('answers GET /graphql from a browser with Sandbox, the local GraphiQL as its fallback', async () => {
    const response = await html('/graphql');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await response.text();
    const { scriptNonce, config } = pageParts(text);
    expect(text).toContain(
      `<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'nonce-${scriptNonce}' https://embeddable-sandbox.cdn.apollographql.com;`,
    );
    const { urls } = explorerAssets();
    expect(config).toMatchObject({
      endpoint: '/graphql',
      assets: urls,
      sandboxScript: expect.stringMatching(
        /^https:\/\/embeddable-sandbox\.cdn\.apollographql\.com\/v2\/embeddable-sandbox\.umd\.production\.min\.js\?runtime=%40apollo%2Fserver%405\./,
      ),
      sandbox: { endpointIsEditable: false, initialState: { includeCookies: false } },
      tabs: [{ query: articleTitle, variables: '{\n  "slug": "serie-000"\n}' }, { query: tags }],
    });
    // Nothing else leaves the machine: no fonts, favicon or manifest from Apollo's CDN.
    const external = urlsIn(text).filter(url => /^(https?:)?\/\//.test(url));
    expect(new Set(external.map(url => new URL(url).origin))).toEqual(
      new Set([
        'https://embeddable-sandbox.cdn.apollographql.com',
        'https://sandbox.embed.apollographql.com',
      ]),
    );
  });

  it('gives each page load a fresh nonce', async () => {
    const first = pageParts(await (await html('/graphql')).text()).scriptNonce;
    const second = pageParts(await (await html('/graphql')).text()).scriptNonce;
    expect(first).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(second).not.toBe(first);
  });

  it('serves GraphiQL at /graphql/explorer with a strict CSP and no URL off this origin', async () => {
    const response = await html('/graphql/explorer');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    const { scriptNonce } = pageParts(text);
    expect(response.headers.get('content-security-policy')).toBe(
      [
        "default-src 'none'",
        `script-src 'self' 'nonce-${scriptNonce}'`,
        `style-src 'self' 'nonce-${scriptNonce}'`,
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
    const { urls } = explorerAssets();
    for (const url of Object.values(urls)) expect(text).toContain(`"${url}"`);
    const elsewhere = urlsIn(text).filter(url => !url.startsWith('/graphql/explorer/assets/'));
    // The empty data: favicon keeps the browser from asking for /favicon.ico.
    expect(elsewhere).toEqual(['data:,']);
    expect(text).toContain('"tabs":[{"query":"query ArticleTitle($slug: String!) {\\n');
  });

  it('answers the trailing-slash form of /graphql/explorer/ too', async () => {
    expect((await html('/graphql/explorer/')).status).toBe(200);
  });

  it.each([
    ['react', /^text\/javascript; charset=utf-8$/, 'react/umd/react.production.min.js'],
    ['reactDom', /^text\/javascript; charset=utf-8$/, 'react-dom/umd/react-dom.production.min.js'],
    ['graphiql', /^text\/javascript; charset=utf-8$/, 'graphiql/graphiql.min.js'],
    ['graphiqlCss', /^text\/css; charset=utf-8$/, 'graphiql/graphiql.min.css'],
  ] as const)(
    'serves %s with its type, for a year, gzipped where accepted',
    async (name, type, file) => {
      const url = `${gateway.url}${explorerAssets().urls[name]}`;
      expect(url).toMatch(
        /\/graphql\/explorer\/assets\/(react|react-dom|graphiql)@\d+\.\d+\.\d+\//,
      );
      const original = fs.readFileSync(path.join('node_modules', file));
      const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
      expect(plain.status).toBe(200);
      expect(plain.headers.get('content-type')).toMatch(type);
      expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(Buffer.from(await plain.arrayBuffer()).equals(original)).toBe(true);

      // fetch would decode gzip itself; node:http shows the bytes as sent.
      const gzipped = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
        const request = http.get(url, { headers: { 'accept-encoding': 'gzip, br' } }, res => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }),
          );
        });
        request.on('error', reject);
      });
      expect(gzipped.encoding).toBe('gzip');
      expect(gzipped.body.length).toBeLessThan(original.length);
      expect(zlib.gunzipSync(gzipped.body).equals(original)).toBe(true);
    },
  );

  it("serves GraphiQL's source map under the name its script gives", async () => {
    const script = await (await fetch(`${gateway.url}${explorerAssets().urls.graphiql}`)).text();
    const name = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(script)?.[1];
    const map = await fetch(
      new URL(name as string, `${gateway.url}${explorerAssets().urls.graphiql}`),
    );
    expect(map.status).toBe(200);
    expect(map.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('answers HEAD for an asset without a body, and a JSON 404 for an unknown one', async () => {
    const head = await fetch(`${gateway.url}${explorerAssets().urls.react}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await head.text()).toBe('');
    const unknown = await fetch(`${gateway.url}/graphql/explorer/assets/react@0.0.1/react.js`);
    expect(unknown.status).toBe(404);
    expect(
      ((await unknown.json()) as { errors: { extensions: { code: string } }[] }).errors[0],
    ).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });

  it('still answers GraphQL on GET /graphql for a client that asks for JSON', async () => {
    const response = await fetch(`${gateway.url}/graphql?query=%7B__typename%7D`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(await response.json()).toMatchObject({ data: { __typename: 'Query' } });
  });
});

describe.each([
  ['in production', { NODE_ENV: 'production' }],
  ['with SANDBOX=false', { SANDBOX: 'false' }],
])('the explorer %s', (_name, env) => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway('sqlite', { env });
  });
  afterAll(() => gateway.close());

  it('serves neither the local explorer nor its files', async () => {
    const page = await fetch(`${gateway.url}/graphql/explorer`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(404);
    const asset = await fetch(`${gateway.url}${explorerAssets().urls.graphiql}`);
    expect(asset.status).toBe(404);
  });

  it('has no GraphiQL fallback on GET /graphql', async () => {
    const response = await fetch(`${gateway.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/graphiql|explorer-config/i);
  });
});
