import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describeEachDatabase } from './helpers/databases';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { contentImportCommand } from '../src/cli/contentImport';
import { createImportProgress } from '../src/cli/importProgress';
import { readWxr } from '../src/content/import/wordpress/readWxr';
import { resolveSeoTemplate } from '../src/content/import/wordpress/seoFields';
import { localeOfLanguage } from '../src/content/import/wordpress/wordpressPost';
import { attachmentSize } from '../src/content/import/wordpress/wordpressSite';

const themeData = path.join(__dirname, 'fixtures/wordpress/themeunittestdata.wordpress.xml');
const small = path.join(__dirname, 'fixtures/wordpress/small-wxr-1.1.xml');

/** Runs `npm run content:import -- args` against the test gateway's database. */
async function runImport(gateway: TestGateway, ...args: string[]) {
  return runImportWith(gateway, {}, ...args);
}

async function runImportWith(
  gateway: TestGateway,
  settings: Record<string, string>,
  ...args: string[]
) {
  const out: string[] = [];
  const err: string[] = [];
  const env = {
    ...settings,
    DATABASE_URL: gateway.config.database.url,
    ...(gateway.config.database.type === 'postgres'
      ? { DATABASE_SCHEMA: gateway.config.database.schema }
      : {}),
  };
  const code = await contentImportCommand(args, env, {
    out: line => out.push(line),
    err: line => err.push(line),
  });
  const summary = out[out.length - 1];
  const importWarnings = err.filter(line => mappingWarning.test(line));
  return { code, out, err, summary, importWarnings };
}

/**
 * A warning of the import's mapping (src/content/import/wordpress/wordpressPost.ts) or the write
 * path, not one of the body conversion's notes (wordpressBody.ts: unknown shortcodes, embeds
 * kept as links), which its own tests count.
 */
const mappingWarning =
  / warning: post \d+: (\d+ categories and tags|old path |password-protected |private |no title |slug |author |featured image |no wp:post_date_gmt)/;

async function countOf(gateway: TestGateway, table: string): Promise<number> {
  const [row] = await gateway.db.query(`SELECT COUNT(*) AS total FROM ${table}`);
  return Number(row.total);
}

interface StoredArticle {
  slug: string;
  title: string;
  status: string;
  featured: boolean;
  publishedAt: number | null;
  updatedAt: number;
  locale: string;
  body: string;
  excerpt: string | null;
  imageUrl: string | null;
  imageAlt: string | null;
  imageCaption: string | null;
  imageWidth: number | null;
  imageHeight: number | null;
  seoTitle: string | null;
  seoDescription: string | null;
  tags: string[];
  authors: string[];
}

/** The article an import made of WordPress post `id` of `site`, as stored. */
async function articleOfPost(
  gateway: TestGateway,
  site: string,
  id: string,
): Promise<StoredArticle | null> {
  const [row] = await gateway.db.query(
    `SELECT a.* FROM article a JOIN article_origin o ON o.article_id = a.internal_id
      WHERE o.source = 'wordpress' AND o.site = '${site}' AND o.source_id = '${id}'`,
  );
  if (!row) return null;
  const tags = await gateway.db.query(
    `SELECT t.slug FROM article_tag l JOIN tag t ON t.internal_id = l.tag_id
      WHERE l.article_id = ${row.internal_id} ORDER BY l.position`,
  );
  const authors = await gateway.db.query(
    `SELECT u.slug, u.name FROM article_author l JOIN author u ON u.internal_id = l.author_id
      WHERE l.article_id = ${row.internal_id} ORDER BY l.position`,
  );
  const number = (value: unknown) => (value === null ? null : Number(value));
  return {
    slug: row.slug,
    title: row.title,
    status: row.status,
    featured: Boolean(row.featured),
    publishedAt: number(row.published_at),
    updatedAt: Number(row.updated_at),
    locale: row.locale,
    body: row.body_markdown,
    excerpt: row.custom_excerpt,
    imageUrl: row.image_url,
    imageAlt: row.image_alt,
    imageCaption: row.image_caption,
    imageWidth: number(row.image_width),
    imageHeight: number(row.image_height),
    seoTitle: row.seo_title,
    seoDescription: row.seo_description,
    tags: tags.map((tag: { slug: string }) => tag.slug),
    authors: authors.map(
      (author: { slug: string; name: string }) => `${author.slug}:${author.name}`,
    ),
  };
}

describeEachDatabase('WordPress import: the theme unit test data', dialect => {
  let gateway: TestGateway;
  const site = 'wpthemetestdata.wordpress.com';
  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
  });
  afterAll(async () => gateway.close());

  /*
   * The export has 186 items: 58 posts, 21 pages, 37 attachments, 70 menu items; 33 comments
   * (on posts 51, 1148 (20), 1149 (5 pingbacks and trackbacks), 1168, 1170, on pages 155 (4) and
   * 703). Of the 58 posts 57 are imported and one is refused: 1170 "Edge Case: No Content" has no
   * body, which the gateway's rules require. Everything else is skipped as what it is. Warnings:
   * post 1152 has 65 categories and tags (50 kept), 1158 and 1161 have guids of /?p=568 and
   * /?p=582, which posts 568 and 582 hold already, 1168 is password-protected (a draft), 1169 has
   * no title. Old paths: 56 permalinks (the draft 1164 has none) + 57 /?p=id + 4 ?p= guids of this
   * site that are not the post's own id (1153: 418, 1158: 568, 1161: 582, 1163: 674; the guids of
   * wptest.io and noeltest.wordpress.com are other sites') + 1 old slug (post 8: /8-2), less
   * the 2 that posts 568 and 582 hold = 116.
   */
  const summary =
    'articles: 57 created, 0 updated, 0 unchanged, 1 refused; authors: 2 created, 0 updated, 0 unchanged; tags: 118 created, 0 updated, 0 unchanged; old paths: 116; skipped: 21 pages, 37 attachments, 70 nav_menu_items, 33 comments; ';

  it('writes nothing on a dry run, and reports what the import would do', async () => {
    const result = await runImport(gateway, '--from', 'wordpress', themeData, '--dry-run');
    expect(result.err.filter(line => line.includes('refused'))).toEqual([
      `${themeData}:10107: refused: post 1170: values.body: the article has no body`,
    ]);
    expect(result.code).toBe(1);
    expect(result.out[0]).toBe(
      'Dry run of WordPress export of wpthemetestdata.wordpress.com (WXR 1.2, 186 items, locale en)',
    );
    expect(result.summary).toMatch(`Dry run (nothing written): would have written ${summary}`);
    expect(result.importWarnings).toHaveLength(5);
    for (const table of ['article', 'author', 'tag', 'article_origin', 'article_old_path']) {
      expect(await countOf(gateway, table)).toBe(0);
    }
  });

  it('imports the export with a report of every item: created, refused, skipped and why', async () => {
    const result = await runImport(gateway, '--from', 'wordpress', themeData);
    expect(result.code).toBe(1);
    expect(result.summary).toMatch(summary);
    const file = themeData;
    expect(result.err[0]).toMatch(/^186\/186 items \(100%\), \d+ s$/);
    expect(result.err[1]).toBe(
      `${file}:10107: refused: post 1170: values.body: the article has no body`,
    );
    expect(result.importWarnings).toEqual([
      expect.stringMatching(
        /:9807: warning: post 1152: 65 categories and tags, the gateway keeps 50: left out selfconvicted, .*, edge-case$/,
      ),
      `${file}:9921: warning: post 1158: old path /?p=568 already leads to another article`,
      `${file}:9950: warning: post 1161: old path /?p=582 already leads to another article`,
      `${file}:10037: warning: post 1168: password-protected on the old site: imported as a draft (the gateway has no password-protected articles)`,
      `${file}:10078: warning: post 1169: no title on the old site: titled "(no title)"`,
    ]);
    const skipped = result.out.filter(line => line.includes(': skipped: '));
    expect(skipped).toHaveLength(21 + 37 + 70 + 7);
    expect(skipped).toContain(
      `${file}:2376: skipped: page 2: pages are not articles: the gateway imports posts only`,
    );
    expect(skipped).toContain(
      `${file}:9079: skipped: comment 1148: 20 comments of post 1148: comments are not imported`,
    );
    expect(skipped).toContain(
      `${file}:3659: skipped: nav_menu_item 1100: a menu entry: menus are the front end's`,
    );
    expect(await countOf(gateway, 'article')).toBe(57);
  });

  it('stores clean Markdown: no block comments, raw shortcodes or escaped HTML', async () => {
    const rows: { slug: string; body_markdown: string }[] = await gateway.db.query(
      'SELECT slug, body_markdown FROM article ORDER BY slug',
    );
    expect(rows).toHaveLength(57);
    // Code shows markup as text (a code block of the fixture shows "<!-- wp:code -->"): not looked at.
    const outsideCode = (markdown: string) =>
      markdown.replace(/^```[^]*?^```/gm, '').replace(/`[^`\n]+`/g, '');
    // A shortcode is [name followed by a space or ] (Markdown escapes it as \[name ...\]), not a
    // link whose text is the word ("[caption](https://...)").
    const unclean = rows
      .filter(row =>
        /<!--\s*\/?wp:|\[(caption|gallery|embed|audio|video|playlist)(\s|\\?\](?!\())|&lt;\/?[a-z]+/i.test(
          outsideCode(row.body_markdown),
        ),
      )
      .map(row => row.slug);
    expect(unclean).toEqual([]);
  });

  it('maps statuses, dates, slugs, the featured image, sticky posts, categories and authors', async () => {
    const scheduled = await articleOfPost(gateway, site, '1153');
    expect(scheduled).toMatchObject({
      slug: 'scheduled',
      status: 'PUBLISHED',
      publishedAt: Date.parse('2030-01-01T19:00:18Z'),
    });
    const draft = await articleOfPost(gateway, site, '1164');
    // No wp:post_name: the slug is made from the title; a draft has no date.
    expect(draft).toMatchObject({ slug: 'draft', status: 'DRAFT', publishedAt: null });
    expect(await articleOfPost(gateway, site, '1168')).toMatchObject({ status: 'DRAFT' });
    const horizontal = await articleOfPost(gateway, site, '1011');
    expect(horizontal).toMatchObject({
      slug: 'template-featured-image-horizontal',
      status: 'PUBLISHED',
      publishedAt: Date.parse('2012-03-15T22:15:12Z'),
      locale: 'en',
      featured: false,
      imageUrl: 'https://wpthemetestdata.files.wordpress.com/2013/03/featured-image-horizontal.jpg',
      imageAlt: 'Horizontal Featured Image',
      authors: ['themedemos:Theme Buster'],
    });
    // Categories first in the item's order (classic is the primary), then the tags.
    expect(horizontal?.tags).toEqual([
      'classic',
      'template-2',
      'uncategorized',
      'codex',
      'edge-case',
      'featured-image',
      'image',
      'template',
    ]);
    // post_tag chat comes before category classic in the item: the category is still primary.
    expect((await articleOfPost(gateway, site, '562'))?.tags.slice(0, 2)).toEqual([
      'classic',
      'post-formats',
    ]);
    expect(await articleOfPost(gateway, site, '1241')).toMatchObject({ featured: true });
    expect(await articleOfPost(gateway, site, '1173')).toMatchObject({
      title: 'Markup: Title With Markup',
    });
    // dc:creator ">themereviewteam" (a stray > in the export) is still the author of that login.
    expect((await articleOfPost(gateway, site, '1730'))?.authors).toEqual([
      'themereviewteam:Theme Reviewer',
    ]);
    const excerpt = await articleOfPost(gateway, site, '993');
    expect(excerpt?.excerpt).toMatch(/^This is a user-defined post excerpt\./);
    const paths: { path: string }[] = await gateway.db.query(
      `SELECT p.path FROM article_old_path p JOIN article a ON a.internal_id = p.article_id
        WHERE a.slug = 'text-category-blocks' ORDER BY p.path`,
    );
    expect(paths.map(row => row.path).sort()).toEqual([
      '/8-2',
      '/?p=8',
      '/wp-6-1-text-category-blocks',
    ]);
  });

  it('changes nothing when the same export is imported again', async () => {
    const revisions = await countOf(gateway, 'article_revision');
    const result = await runImport(gateway, '--from', 'wordpress', themeData);
    expect(result.code).toBe(1);
    expect(result.summary).toMatch(
      'articles: 0 created, 0 updated, 57 unchanged, 1 refused; authors: 0 created, 0 updated, 2 unchanged; tags: 0 created, 0 updated, 118 unchanged; old paths: 116; skipped: 21 pages, 37 attachments, 70 nav_menu_items, 33 comments; ',
    );
    expect(result.importWarnings).toHaveLength(5);
    expect(await countOf(gateway, 'article')).toBe(57);
    expect(await countOf(gateway, 'article_revision')).toBe(revisions);
  });
});

describeEachDatabase('WordPress import: a WXR 1.1 export', dialect => {
  let gateway: TestGateway;
  const site = 'karriere.example';
  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
  });
  afterAll(async () => gateway.close());

  it('imports posts of every status, with SEO fields, image sizes and what comes after them', async () => {
    const result = await runImport(gateway, '--from', 'wordpress', small);
    expect(result.code).toBe(0);
    expect(result.out[0]).toBe(
      'Importing WordPress export of karriere.example (WXR 1.1, 9 items, locale de-DE)',
    );
    expect(result.summary).toBe(
      'articles: 4 created, 0 updated, 0 unchanged, 0 refused; authors: 1 created, 0 updated, 0 unchanged; tags: 3 created, 0 updated, 0 unchanged; old paths: 8; skipped: 1 post, 1 product, 1 revision, 1 wp_block, 1 attachment, 2 comments; 2 warnings.',
    );
    expect(result.out.filter(line => line.includes('skipped:')).slice(0, 5)).toEqual([
      `${small}:111: skipped: post 105: in the trash on the old site`,
      `${small}:119: skipped: product 106: custom post type product: not imported`,
      `${small}:125: skipped: revision 107: an earlier revision: the post's current version is imported`,
      `${small}:132: skipped: wp_block 108: a reusable block (pattern): the posts that use it carry its content`,
      `${small}:138: skipped: attachment 201: a media item: its URL stays where a post shows it (the featured image, the body)`,
    ]);
    const post = await articleOfPost(gateway, site, '101');
    expect(post).toEqual({
      // k%c3%bcche-%e2%80%a6-tipps: decoded "küche-…-tipps", then made to the slug rule.
      slug: 'kueche-tipps',
      title: 'Küchen-Tipps für das „Vorstellungsgespräch“',
      status: 'PUBLISHED',
      featured: true,
      publishedAt: Date.parse('2024-05-01T08:00:00Z'),
      updatedAt: Date.parse('2024-05-03T09:30:00Z'),
      locale: 'de-DE',
      body: expect.stringContaining('Ein Absatz über das Gespräch.'),
      excerpt: 'Was in der Küche zählt.',
      // The attachment and the author come after the post in the file.
      imageUrl: 'https://www.karriere.example/wp-content/uploads/2024/05/kueche.jpg',
      imageAlt: 'Eine aufgeräumte Küche',
      imageCaption: 'Eine Küche, aufgeräumt.',
      imageWidth: 1200,
      imageHeight: 800,
      // %%page%% dropped, %%sep%% "-", %%sitename%% the channel's title.
      seoTitle: 'Küchen-Tipps für das „Vorstellungsgespräch“ - Karriere & Beruf',
      seoDescription: 'So punkten Sie im Gespräch: Was in der Küche zählt.',
      tags: ['gehalt', 'bewerbung', 'tipps'],
      authors: ['jdoe:Jane Doe'],
    });
    const [bewerbung] = await gateway.db.query(
      "SELECT description FROM tag WHERE slug = 'bewerbung'",
    );
    expect(bewerbung.description).toBe('Alles zur Bewerbung.');
    expect(await articleOfPost(gateway, site, '102')).toMatchObject({
      status: 'DRAFT',
      publishedAt: null,
      seoTitle: 'Nur für uns - Karriere & Beruf',
      seoDescription: 'Intern: Nur für uns',
    });
    expect(await articleOfPost(gateway, site, '103')).toMatchObject({
      slug: 'wartet-auf-freigabe',
      status: 'DRAFT',
      publishedAt: null,
    });
    expect(await articleOfPost(gateway, site, '104')).toMatchObject({
      status: 'PUBLISHED',
      publishedAt: Date.parse('2099-01-01T06:00:00Z'),
    });
    const paths: { path: string }[] = await gateway.db.query(
      "SELECT p.path FROM article_old_path p JOIN article a ON a.internal_id = p.article_id WHERE a.slug = 'kueche-tipps' ORDER BY p.path",
    );
    expect(paths.map(row => row.path).sort()).toEqual([
      '/2024/05/kueche-tipps',
      '/2024/05/kuechentipps',
      '/?p=101',
    ]);
    const { body } = await gateway.gql<{ article: { slug: string } | null }>(
      'query ($slug: String!) { article(slug: $slug) { slug } }',
      { slug: 'kommt-noch' },
    );
    // Scheduled: not public before its date.
    expect(body.data?.article).toBeNull();
  });

  it('takes the locale from --locale, and refuses a wrong one as a usage error', async () => {
    const dry = await runImport(
      gateway,
      '--from',
      'wordpress',
      small,
      '--dry-run',
      '--locale',
      'de',
    );
    expect(dry.out[0]).toBe(
      'Dry run of WordPress export of karriere.example (WXR 1.1, 9 items, locale de)',
    );
    expect(dry.summary).toMatch(/articles: 0 created, 4 updated, 0 unchanged/);
    expect((await articleOfPost(gateway, site, '101'))?.locale).toBe('de-DE');
    expect(
      (await runImport(gateway, '--from', 'wordpress', small, '--locale', 'Deutsch')).code,
    ).toBe(2);
    const unknown = await runImport(gateway, '--from', 'typo3', small);
    expect(unknown).toMatchObject({
      code: 2,
      err: [expect.stringMatching(/^unknown --from typo3/)],
    });
  });
});

describeEachDatabase('WordPress import: --download-media', dialect => {
  let gateway: TestGateway;
  let server: http.Server;
  let dir: string;
  // A 1x1 PNG.
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxr-media-'));
    server = http.createServer((req, res) => {
      if (req.url === '/uploads/kueche.png')
        res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
    await gateway.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies the featured image into MEDIA_DIR (a local HTTP server), and downloads nothing on a dry run', async () => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const file = path.join(dir, 'export.xml');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(small, 'utf8')
        .replaceAll(
          'https://www.karriere.example/wp-content/uploads/2024/05/kueche.jpg',
          `${base}/uploads/kueche.png`,
        ),
    );
    const mediaDir = path.join(dir, 'media');
    fs.mkdirSync(mediaDir);
    const settings = { MEDIA_DIR: mediaDir };
    const dry = await runImportWith(
      gateway,
      settings,
      '--from',
      'wordpress',
      file,
      '--download-media',
      '--dry-run',
    );
    expect(dry.out[1]).toMatch(/^--download-media: nothing is downloaded on a dry run/);
    expect(fs.readdirSync(mediaDir)).toEqual([]);

    const result = await runImportWith(
      gateway,
      settings,
      '--from',
      'wordpress',
      file,
      '--download-media',
    );
    expect(result.code).toBe(0);
    const post = await articleOfPost(gateway, 'karriere.example', '101');
    expect(post?.imageUrl).toMatch(/^\/media\/[0-9a-f]+\.png$/);
    const stored = path.join(mediaDir, path.basename(post?.imageUrl ?? ''));
    expect(fs.readFileSync(stored)).toEqual(png);
  });
});

describeEachDatabase('content:import --from ghost (the command)', dialect => {
  let gateway: TestGateway;
  const ghostV5 = path.join(__dirname, 'fixtures/ghost/ghost-v5.json');
  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
  });
  afterAll(async () => gateway.close());

  it('imports a Ghost export through the same report, and says what is wrong with its options', async () => {
    const result = await runImport(
      gateway,
      '--from',
      'ghost',
      ghostV5,
      '--site-url',
      'https://blog.example.org',
    );
    expect(result.code).toBe(0);
    expect(result.out[0]).toBe('Importing Ghost export of https://blog.example.org');
    // The counts are tests/ghostImport.test.ts' for this fixture, through the command's report.
    expect(result.summary).toBe(
      'articles: 6 created, 0 updated, 0 unchanged, 0 refused; authors: 2 created, 0 updated, 0 unchanged; tags: 3 created, 0 updated, 0 unchanged; old paths: 3; skipped: 1 page, 1 internal tag; 3 warnings.',
    );
    expect(result.err[0]).toMatch(/^8 items, \d+ s$/);
    const again = await runImport(
      gateway,
      '--from',
      'ghost',
      ghostV5,
      '--site-url',
      'https://blog.example.org',
    );
    expect(again.summary).toMatch(/^articles: 0 created, 0 updated, 6 unchanged, 0 refused;/);
    const members = await runImport(gateway, '--from', 'ghost', ghostV5, '--members-posts', 'all');
    expect(members).toMatchObject({
      code: 2,
      err: ['--members-posts all: expected draft or public'],
    });
    const site = await runImport(gateway, '--from', 'ghost', ghostV5, '--site-url', 'blog');
    expect(site).toMatchObject({
      code: 2,
      err: [expect.stringMatching(/^cannot import .*ghost-v5\.json: /)],
    });
  });
});

describe('WordPress export reading', () => {
  it('reads items one at a time with their start lines, and says where the XML breaks', async () => {
    const lines: number[] = [];
    for await (const node of readWxr(small)) if (node.type === 'item') lines.push(node.item.line);
    expect(lines).toEqual([26, 68, 85, 98, 111, 119, 125, 132, 138]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxr-'));
    const broken = path.join(dir, 'broken.xml');
    fs.writeFileSync(
      broken,
      '<rss>\n<channel>\n<item><title>A</title></item>\n<item><title>B</title>\n</channel></rss>',
    );
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const node of readWxr(broken))
          if (node.type === 'item') seen.push(node.item.fields.get('title') ?? '');
      })(),
    ).rejects.toMatchObject({ line: 5 });
    expect(seen).toEqual(['A']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads width and height of the top level of _wp_attachment_metadata', () => {
    expect(attachmentSize('a:2:{s:5:"width";i:640;s:6:"height";s:3:"480";}')).toEqual({
      width: 640,
      height: 480,
    });
    expect(attachmentSize('a:1:{s:5:"sizes";a:1:{s:5:"thumb";a:1:{s:5:"width";i:150;}}}')).toEqual({
      width: null,
      height: null,
    });
    expect(attachmentSize(undefined)).toEqual({ width: null, height: null });
  });

  it('resolves Yoast and Rank Math templates, dropping what it does not know', () => {
    const context = { title: 'Post', siteName: 'Site', excerpt: null, primaryCategory: 'News' };
    expect(resolveSeoTemplate('%%title%% %%sep%% %%sitename%%', context, 500)).toBe('Post - Site');
    expect(resolveSeoTemplate('%title% | %primary_category%', context, 500)).toBe('Post | News');
    expect(resolveSeoTemplate('%%title%% %%page%%', context, 500)).toBeNull();
    expect(resolveSeoTemplate('%%cf_teaser%%', context, 500)).toBeNull();
  });

  it('takes the export language as a BCP 47 locale', () => {
    expect(localeOfLanguage('en-US')).toBe('en-US');
    expect(localeOfLanguage('de_de')).toBe('de-DE');
    expect(localeOfLanguage('English')).toBeNull();
  });

  it('prints plain progress lines where stderr is no terminal', () => {
    const lines: string[] = [];
    let now = 0;
    const progress = createImportProgress(2500, {
      stream: { isTTY: false } as NodeJS.WriteStream,
      line: text => lines.push(text),
      now: () => now,
    });
    for (let done = 1; done <= 2500; done += 1) {
      now += 2;
      progress.update(done);
    }
    progress.stop();
    expect(lines).toEqual([
      '1000/2500 items (40%), 2 s',
      '2000/2500 items (80%), 4 s',
      '2500/2500 items (100%), 5 s',
    ]);
  });
});
