import http from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import { describeEachDatabase } from './helpers/databases';
import { type ArticleFixture, articleFile } from './helpers/fixtures';
import { testClock } from './helpers/testClock';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import type { ContentFile } from '../src/content/import/contentImport';

const publicUrl = 'https://news.example.com';
const sitemapNs = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: name => ['url', 'sitemap', 'xhtml:link'].includes(name),
});

// W3C Datetime (https://www.w3.org/TR/NOTE-datetime), as sitemaps.org and Google News ask: UTC here.
const w3cDatetime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  statements: number;
}

function get(gateway: TestGateway, path: string, headers: Record<string, string> = {}) {
  return new Promise<Answer>((resolve, reject) => {
    http
      .get(`${gateway.url}${path}`, { headers }, response => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', chunk => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text,
            statements: Number(response.headers['x-sql-statements']),
          }),
        );
      })
      .on('error', reject);
  });
}

interface UrlEntry {
  loc: string;
  lastmod: string;
  'xhtml:link'?: { '@rel': string; '@hreflang': string; '@href': string }[];
  'news:news'?: {
    'news:publication': { 'news:name': string; 'news:language': string };
    'news:publication_date': string;
    'news:title': string;
  };
}

async function xml(gateway: TestGateway, path: string) {
  const answer = await get(gateway, path);
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toBe('application/xml; charset=utf-8');
  return { ...answer, document: parser.parse(answer.text) };
}

async function urlset(gateway: TestGateway, path: string): Promise<UrlEntry[]> {
  const { document } = await xml(gateway, path);
  expect(document.urlset['@xmlns']).toBe(sitemapNs);
  return document.urlset.url ?? [];
}

/** An article file with a translation key, as an editor writes one. */
function version(fixture: ArticleFixture & { translationKey?: string }): ContentFile {
  const file = articleFile(fixture);
  if (!fixture.translationKey) return file;
  return {
    ...file,
    text: file.text.replace(
      /^locale: .*$/m,
      line => `${line}\ntranslationKey: ${fixture.translationKey}`,
    ),
  };
}

// The article pages as the setting below makes them: locale and slug, and a query to escape.
const page = (locale: string, slug: string) => `${publicUrl}/${locale}/${slug}?from=map&v=1`;

const published = ['vier-tage-woche', 'four-day-week', 'vier-tage-woche-at', 'alt', 'neu'];

describeEachDatabase('sitemaps', dialect => {
  let gateway: TestGateway;
  const clock = testClock('2026-11-29T12:00:00.000Z');

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, {
      clock,
      env: {
        PUBLIC_URL: publicUrl,
        SITE_NAME: 'Berufsbild & Co',
        SITEMAP_MAX_URLS: '3',
        ARTICLE_URL_PATTERN: '/{locale}/{slug}?from=map&v=1',
      },
    });
    await gateway.importFiles([
      version({
        slug: 'vier-tage-woche',
        title: 'Die Vier-Tage-Woche: <Fakten> & "Mythen"',
        locale: 'de',
        translationKey: 'four-day-week',
        date: '2026-11-28T10:00:00Z',
      }),
      version({
        slug: 'four-day-week',
        locale: 'en',
        translationKey: 'four-day-week',
        date: '2026-11-20T10:00:00Z',
      }),
      version({
        slug: 'vier-tage-woche-at',
        locale: 'de-AT',
        translationKey: 'four-day-week',
        date: '2026-11-27T10:00:00Z',
      }),
      version({
        slug: 'quatre-jours',
        locale: 'fr',
        translationKey: 'four-day-week',
        status: 'draft',
      }),
      articleFile({ slug: 'alt', date: '2026-10-01T10:00:00Z' }),
      articleFile({ slug: 'neu', date: '2026-11-29T11:00:00Z' }),
      articleFile({ slug: 'entwurf', status: 'draft' }),
      articleFile({ slug: 'archiviert', status: 'archived' }),
      articleFile({ slug: 'geplant', date: '2026-12-01T10:00:00Z' }),
    ]);
    await gateway.gateway.publications.changed();
  });

  afterAll(() => gateway.close());

  it('is an index past SITEMAP_MAX_URLS, whose files list every public article once and nothing else', async () => {
    const { document } = await xml(gateway, '/sitemap.xml');
    expect(document.sitemapindex['@xmlns']).toBe(sitemapNs);
    const files = document.sitemapindex.sitemap as { loc: string; lastmod: string }[];
    expect(files.map(file => file.loc)).toEqual([
      `${publicUrl}/sitemap-1.xml`,
      `${publicUrl}/sitemap-2.xml`,
    ]);
    for (const file of files) expect(file.lastmod).toMatch(w3cDatetime);

    const locs: string[] = [];
    for (const file of files) {
      const entries = await urlset(gateway, new URL(file.loc).pathname);
      expect(entries.length).toBeLessThanOrEqual(3);
      for (const entry of entries) {
        expect(entry.lastmod).toMatch(w3cDatetime);
        locs.push(entry.loc);
      }
    }
    const expected = published.map(slug =>
      page(slug === 'four-day-week' ? 'en' : slug.endsWith('-at') ? 'de-AT' : 'de', slug),
    );
    expect([...locs].sort()).toEqual([...expected].sort());

    expect((await get(gateway, '/sitemap-3.xml')).status).toBe(404);
    expect((await get(gateway, '/sitemap-0.xml')).status).toBe(404);
  });

  it('writes absolute, escaped URLs', async () => {
    const answer = await get(gateway, '/sitemap-1.xml');
    // An & in a URL is an entity in XML (sitemaps.org "Entity escaping").
    expect(answer.text).toContain('?from=map&amp;v=1</loc>');
    expect(answer.text).not.toMatch(/&v=/);
    for (const entry of await urlset(gateway, '/sitemap-1.xml')) {
      expect(new URL(entry.loc).origin).toBe(publicUrl);
    }
  });

  it('gives every language version its hreflang alternates, itself included, and none to a story in one language', async () => {
    const entries = [
      ...(await urlset(gateway, '/sitemap-1.xml')),
      ...(await urlset(gateway, '/sitemap-2.xml')),
    ];
    const versions = [
      { '@rel': 'alternate', '@hreflang': 'de', '@href': page('de', 'vier-tage-woche') },
      { '@rel': 'alternate', '@hreflang': 'de-AT', '@href': page('de-AT', 'vier-tage-woche-at') },
      { '@rel': 'alternate', '@hreflang': 'en', '@href': page('en', 'four-day-week') },
    ];
    for (const slug of ['vier-tage-woche', 'four-day-week', 'vier-tage-woche-at']) {
      const entry = entries.find(candidate => candidate.loc.includes(`/${slug}?`));
      // The French draft is no alternate.
      expect(entry?.['xhtml:link']).toEqual(versions);
    }
    expect(entries.find(entry => entry.loc.includes('/alt?'))?.['xhtml:link']).toBeUndefined();
  });

  it('has a Google News sitemap of the last 48 hours', async () => {
    const { document, headers } = await xml(gateway, '/sitemap-news.xml');
    expect(document.urlset['@xmlns:news']).toBe('http://www.google.com/schemas/sitemap-news/0.9');
    const entries = document.urlset.url as UrlEntry[];
    // vier-tage-woche-at (27 November, 10:00) is 50 hours old.
    expect(entries.map(entry => entry.loc)).toEqual([
      page('de', 'neu'),
      page('de', 'vier-tage-woche'),
    ]);
    const news = entries[1]['news:news']!;
    expect(news['news:publication']).toEqual({
      'news:name': 'Berufsbild & Co',
      'news:language': 'de',
    });
    expect(news['news:publication_date']).toBe('2026-11-28T10:00:00.000Z');
    expect(news['news:title']).toBe('Die Vier-Tage-Woche: <Fakten> & "Mythen"');
    expect(headers['cache-control']).toBe('max-age=300, public');

    clock.set('2026-11-30T09:59:30.000Z');
    try {
      // Not kept past the moment its oldest item leaves the 48 hours: vier-tage-woche, in 30 s.
      const later = await xml(gateway, '/sitemap-news.xml');
      expect((later.document.urlset.url as UrlEntry[]).map(entry => entry.loc)).toEqual([
        page('de', 'neu'),
        page('de', 'vier-tage-woche'),
      ]);
      expect(later.headers['cache-control']).toBe('max-age=30, public');
      clock.set('2026-11-30T10:00:00.000Z');
      const gone = await xml(gateway, '/sitemap-news.xml');
      expect((gone.document.urlset.url as UrlEntry[]).map(entry => entry.loc)).toEqual([
        page('de', 'neu'),
      ]);
      // Nothing of the last 48 hours: an empty urlset, not an error.
      clock.set('2026-12-05T12:00:00.000Z');
      const empty = await xml(gateway, '/sitemap-news.xml');
      expect(empty.document.urlset['@xmlns:news']).toBeDefined();
      expect(empty.document.urlset.url).toBeUndefined();
    } finally {
      clock.set('2026-11-29T12:00:00.000Z');
    }
  });

  it('is cached with an ETag and runs the same statements for any number of articles', async () => {
    const index = await get(gateway, '/sitemap.xml');
    expect(index.headers['cache-control']).toBe('max-age=300, public');
    const again = await get(gateway, '/sitemap.xml', {
      'if-none-match': String(index.headers.etag),
    });
    expect(again.status).toBe(304);
    const file = await get(gateway, '/sitemap-1.xml');
    // Count, page, translations; count and files for the index.
    expect(file.statements).toBe(3);
    expect(index.statements).toBe(2);

    await gateway.importFiles(
      Array.from({ length: 12 }, (_, n) =>
        version({
          slug: `story-${n}`,
          locale: n % 2 ? 'en' : 'de',
          translationKey: `story-${n >> 1}`,
          date: '2026-11-02T10:00:00Z',
        }),
      ),
    );
    const bigger = await get(gateway, '/sitemap.xml');
    expect(bigger.statements).toBe(2);
    expect(parser.parse(bigger.text).sitemapindex.sitemap).toHaveLength(6);
    const fullFile = await get(gateway, '/sitemap-4.xml');
    expect(fullFile.statements).toBe(3);
    expect(bigger.headers.etag).not.toBe(index.headers.etag);
  });
});

describeEachDatabase('sitemaps under the limit', dialect => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, { env: { PUBLIC_URL: publicUrl } });
    await gateway.importFiles([articleFile({ slug: 'eins' }), articleFile({ slug: 'zwei' })]);
  });
  afterAll(() => gateway.close());

  it('is one urlset at /sitemap.xml with article URLs from the default /artikel/{slug}', async () => {
    const entries = await urlset(gateway, '/sitemap.xml');
    expect(entries.map(entry => entry.loc).sort()).toEqual([
      `${publicUrl}/artikel/eins`,
      `${publicUrl}/artikel/zwei`,
    ]);
    expect((await get(gateway, '/sitemap-1.xml')).status).toBe(404);
  });

  it('is an empty urlset, not an error, while no article is public', async () => {
    const empty = await startTestGateway(dialect, { env: { PUBLIC_URL: publicUrl } });
    try {
      expect(await urlset(empty, '/sitemap.xml')).toEqual([]);
      expect((await get(empty, '/feed.xml')).status).toBe(200);
    } finally {
      await empty.close();
    }
  });
});
