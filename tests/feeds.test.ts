import http from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import { describeEachDatabase } from './helpers/databases';
import { articleFile, articleSeries } from './helpers/fixtures';
import { testClock } from './helpers/testClock';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { browserAgent, view } from './helpers/views';
import { xmlText } from '../src/content/feeds/xmlText';

const publicUrl = 'https://news.example.com';
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Entities are decoded as a reader decodes them; everything stays a string.
  parseTagValue: false,
  isArray: name => ['item', 'dc:creator', 'category'].includes(name),
});

interface RssItem {
  title: string;
  link: string;
  guid: { '#text': string; '@isPermaLink': string };
  pubDate: string;
  description: string;
  'content:encoded': string;
  'dc:creator'?: string[];
  category?: string[];
}

interface Rss {
  rss: {
    '@version': string;
    channel: {
      title: string;
      link: string;
      description: string;
      language?: string;
      lastBuildDate?: string;
      'atom:link': { '@href': string; '@rel': string; '@type': string };
      item?: RssItem[];
    };
  };
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  statements: number;
}

/**
 * A GET through node:http: fetch (undici) adds cache-control: no-cache to a request that sets
 * If-None-Match itself, which rightly makes every server answer in full.
 */
function get(gateway: TestGateway, path: string, headers: Record<string, string> = {}) {
  return new Promise<Answer>((resolve, reject) => {
    http
      .get(`${gateway.url}${path}`, { headers }, response => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', chunk => (text += chunk));
        response.on('end', () => {
          const all = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (typeof value === 'string') all.set(name, value);
          }
          resolve({
            status: response.statusCode ?? 0,
            headers: all,
            text,
            statements: Number(response.headers['x-sql-statements']),
          });
        });
      })
      .on('error', reject);
  });
}

async function feed(gateway: TestGateway, path: string) {
  const answer = await get(gateway, path);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
  const document = parser.parse(answer.text) as Rss;
  return { ...answer, channel: document.rss.channel, version: document.rss['@version'] };
}

const slugs = (items: RssItem[] | undefined) =>
  (items ?? []).map(item => item.link.replace(`${publicUrl}/artikel/`, ''));

// RFC 822 as RFC 1123 updates it, in GMT: "Sun, 01 Nov 2026 08:00:00 GMT".
const rfc822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

const trickyTitle = 'Löhne & <Preise>: "Wer\u0001 zahlt?"';

describeEachDatabase('feeds', dialect => {
  let gateway: TestGateway;
  const clock = testClock('2026-11-29T12:00:00.000Z');

  beforeAll(async () => {
    gateway = await startTestGateway(dialect, {
      clock,
      env: { PUBLIC_URL: `${publicUrl}/`, SITE_NAME: 'Berufsbild & Co', FEED_ITEMS: '20' },
    });
    await gateway.importFiles([
      articleFile({
        slug: 'loehne',
        title: trickyTitle,
        date: '2026-11-20T08:00:00Z',
        tags: ['wirtschaft', 'politik'],
        authors: ['anna', 'ben'],
        excerpt: 'Ein Anriss mit <b>Markup</b> & Ampersand.',
        body: 'Ein Absatz mit ]]> darin.\n\n## Abschnitt\n\nNoch ein Absatz.',
      }),
      articleFile({
        slug: 'four-day-week',
        title: 'The four-day week',
        date: '2026-11-21T08:00:00Z',
        locale: 'en',
        tags: ['politik'],
        authors: ['ben'],
      }),
      articleFile({ slug: 'entwurf', status: 'draft', tags: ['wirtschaft'], authors: ['anna'] }),
      articleFile({
        slug: 'archiviert',
        status: 'archived',
        tags: ['wirtschaft'],
        authors: ['anna'],
      }),
      articleFile({
        slug: 'geplant',
        date: '2026-11-29T13:00:00Z',
        tags: ['wirtschaft'],
        authors: ['anna'],
      }),
    ]);
    await gateway.gateway.publications.changed();
  });

  afterAll(() => gateway.close());

  it('serves /feed.xml as RSS 2.0 with absolute links, RFC 822 dates, a stable guid and atom:link self', async () => {
    const { channel, version } = await feed(gateway, '/feed.xml');
    expect(version).toBe('2.0');
    expect(channel.title).toBe('Berufsbild & Co');
    expect(channel.link).toBe(`${publicUrl}/`);
    expect(channel.description).toMatch(/Berufsbild & Co/);
    expect(channel['atom:link']).toEqual({
      '@href': `${publicUrl}/feed.xml`,
      '@rel': 'self',
      '@type': 'application/rss+xml',
    });
    expect(channel.lastBuildDate).toMatch(rfc822);
    expect(slugs(channel.item)).toEqual(['four-day-week', 'loehne']);

    const item = channel.item![1];
    // Escaped so that a parser reads the title back; the control character XML cannot hold is dropped.
    expect(item.title).toBe('Löhne & <Preise>: "Wer zahlt?"');
    expect(item.link).toBe(`${publicUrl}/artikel/loehne`);
    expect(item.pubDate).toMatch(rfc822);
    expect(new Date(item.pubDate).toISOString()).toBe('2026-11-20T08:00:00.000Z');
    expect(item.guid['@isPermaLink']).toBe('false');
    expect(Buffer.from(item.guid['#text'], 'base64').toString()).toMatch(/^Article:\d+$/);
    expect(item['dc:creator']).toEqual(['Anna', 'Ben']);
    expect(item.category).toEqual(['Wirtschaft', 'Politik']);
    expect(item.description).toBe('Ein Anriss mit <b>Markup</b> & Ampersand.');
    expect(item['content:encoded']).toContain('<h2');
    expect(item['content:encoded']).toContain(']]&gt;');
  });

  it('never lists drafts, archived or scheduled articles, and lists a scheduled one once its time passes', async () => {
    const before = await feed(gateway, '/tag/wirtschaft/feed.xml');
    expect(slugs(before.channel.item)).toEqual(['loehne']);
    // Not kept past the scheduled publication (13:00, an hour from now).
    expect(before.headers.get('cache-control')).toBe('max-age=300, public');
    clock.set('2026-11-29T12:59:00.000Z');
    const capped = await feed(gateway, '/feed.xml');
    expect(capped.headers.get('cache-control')).toBe('max-age=60, public');

    clock.set('2026-11-29T13:00:01.000Z');
    try {
      const after = await feed(gateway, '/tag/wirtschaft/feed.xml');
      expect(slugs(after.channel.item)).toEqual(['geplant', 'loehne']);
    } finally {
      clock.set('2026-11-29T12:00:00.000Z');
    }
  });

  it('has a feed per tag, per author and per language, and refuses unknown or malformed ones', async () => {
    const tag = await feed(gateway, '/tag/politik/feed.xml');
    expect(tag.channel.title).toBe('Berufsbild & Co: Politik');
    expect(tag.channel['atom:link']['@href']).toBe(`${publicUrl}/tag/politik/feed.xml`);
    expect(slugs(tag.channel.item)).toEqual(['four-day-week', 'loehne']);

    const author = await feed(gateway, '/author/anna/feed.xml');
    expect(slugs(author.channel.item)).toEqual(['loehne']);

    const english = await feed(gateway, '/language/en/feed.xml');
    expect(english.channel.language).toBe('en');
    expect(slugs(english.channel.item)).toEqual(['four-day-week']);
    const german = await feed(gateway, '/language/de/feed.xml');
    expect(slugs(german.channel.item)).toEqual(['loehne']);

    const unknown = await get(gateway, '/tag/unbekannt/feed.xml');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('cache-control')).toBe('private, no-store');
    expect(JSON.parse(unknown.text).errors[0].extensions.code).toBe('NOT_FOUND');
    const malformed = await get(gateway, '/language/de_DE%27/feed.xml');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('has a most-read feed over a window given as a parameter', async () => {
    for (const visitor of ['v1', 'v2', 'v3'])
      expect(await view(gateway, 'four-day-week', visitor)).toBe(true);
    expect(await view(gateway, 'loehne', 'v1', { 'user-agent': browserAgent })).toBe(true);
    await gateway.flushViews();
    const day = await feed(gateway, '/most-read/feed.xml?window=last_24_hours');
    expect(slugs(day.channel.item)).toEqual(['four-day-week', 'loehne']);
    expect(day.channel.title).toBe('Berufsbild & Co: most read, last 24 hours');
    expect(day.channel['atom:link']['@href']).toBe(
      `${publicUrl}/most-read/feed.xml?window=LAST_24_HOURS`,
    );
    // A 24-hour ranking moves within a minute: cached as briefly as Query.mostRead.
    expect(day.headers.get('cache-control')).toBe('max-age=60, public');

    const wrong = await get(gateway, '/most-read/feed.xml?window=FOREVER');
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.text).errors[0].message).toMatch(/LAST_24_HOURS/);
  });

  it('answers a fresh If-None-Match with 304 and a changed feed with a new ETag', async () => {
    const first = await get(gateway, '/feed.xml');
    const tag = first.headers.get('etag')!;
    expect(tag).toMatch(/^W\/"/);
    const again = await get(gateway, '/feed.xml', { 'if-none-match': tag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');

    await gateway.importFiles([
      articleFile({
        slug: 'four-day-week',
        title: 'The four-day week, corrected',
        date: '2026-11-21T08:00:00Z',
        locale: 'en',
        tags: ['politik'],
        authors: ['ben'],
      }),
    ]);
    const changed = await get(gateway, '/feed.xml', { 'if-none-match': tag });
    expect(changed.status).toBe(200);
    expect(changed.text).toContain('The four-day week, corrected');
  });

  it('runs the same statements for a feed of 2 items and of 20', async () => {
    const small = await get(gateway, '/author/ben/feed.xml');
    expect(small.status).toBe(200);
    await gateway.importFiles(articleSeries(30, { authorCount: 1 }));
    const large = await feed(gateway, '/author/autor-0/feed.xml');
    expect(large.channel.item).toHaveLength(20);
    // The author, the articles, their tags, their authors.
    expect(small.statements).toBe(4);
    expect(large.statements).toBe(small.statements);
    const site = await get(gateway, '/feed.xml');
    expect(site.statements).toBe(3);
  });
});

describe('xmlText', () => {
  it('escapes markup and drops what XML 1.0 cannot hold, keeping tabs, newlines and astral characters', () => {
    expect(xmlText('a & <b> "c" \'d\'')).toBe('a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;');
    expect(xmlText('x\u0000\u0001\u000b\u001fy\ufffe\uffff')).toBe('xy');
    expect(xmlText('tab\tline\ncr\r')).toBe('tab\tline\ncr\r');
    expect(xmlText('lone \ud800 and \udc00 high')).toBe('lone  and  high');
    expect(xmlText('emoji 😀')).toBe('emoji 😀');
  });
});

describe('feeds and sitemaps carry their cache keys [sqlite]', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway('sqlite', {
      env: { PUBLIC_URL: `${publicUrl}/`, CACHE_TAG_HEADER: 'Surrogate-Key' },
    });
    await gateway.importFiles([
      articleFile({ slug: 'getaggt', tags: ['wirtschaft'], authors: ['anna'] }),
    ]);
  });
  afterAll(() => gateway.close());

  it('sends the feeds key and the keys of what a feed lists, in the configured header', async () => {
    const feed = await fetch(`${gateway.url}/feed.xml`);
    expect(feed.status).toBe(200);
    const keys = (feed.headers.get('surrogate-key') ?? '').split(' ');
    // A new article purges `feeds` (every change event carries it); an edited one its own key.
    expect(keys).toContain('feeds');
    expect(keys.some(key => /^a\d+$/.test(key))).toBe(true);
    const sitemap = await fetch(`${gateway.url}/sitemap.xml`);
    expect((sitemap.headers.get('surrogate-key') ?? '').split(' ')).toContain('feeds');
  });
});
