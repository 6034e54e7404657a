import fs from 'node:fs';
import path from 'node:path';
import { describeEachDatabase } from './helpers/databases';
import type { Json } from './helpers/Json';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { GhostExportError } from '../src/content/import/ghost/ghostExport';
import { ghostHtmlToMarkdown } from '../src/content/import/ghost/ghostHtmlToMarkdown';
import {
  ghostItems,
  type GhostImportOptions,
  readGhostExport,
} from '../src/content/import/ghost/readGhostExport';
import { renderLexical } from '../src/content/import/ghost/renderLexical';
import { renderMobiledoc } from '../src/content/import/ghost/renderMobiledoc';
import { importSourcePosts, type SourceItem } from '../src/content/import/source/importSourcePosts';
import type { SourcePost } from '../src/content/import/source/sourcePost';
import { Article } from '../src/entities/Article';
import { ArticleStatus } from '../src/entities/enums';

const fixture = (version: number) =>
  path.join(__dirname, 'fixtures', 'ghost', `ghost-v${version}.json`);
const siteUrl = 'https://journal.example.org';

function postsOf(items: SourceItem[]): SourcePost[] {
  return items.flatMap(item => ('post' in item ? [item.post] : []));
}

/** The skipped items as "kind: count", e.g. { page: 1, 'internal tag': 1 }. */
function skippedByKind(items: { kind: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
  return counts;
}

/** What no imported body may hold: HTML tags, Ghost's card classes or placeholder, entities. */
const leftovers = /<\/?[a-z][a-z0-9-]*[\s>/]|kg-[a-z]|__GHOST_URL__|&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i;

describe('Ghost bodies: mobiledoc, lexical and card HTML to Markdown', () => {
  it('renders mobiledoc markers, atoms, lists and cards', () => {
    const doc = {
      version: '0.3.1',
      atoms: [['soft-return', '', {}]],
      markups: [['strong'], ['a', ['href', 'https://example.org/?a=1&b=2']]],
      cards: [
        ['card-markdown', { markdown: '**md**' }],
        ['mystery', { mysteryText: 'kept words', colour: 'blue' }],
      ],
      sections: [
        [
          1,
          'p',
          [
            [0, [0, 1], 1, 'bold link'],
            [0, [], 1, ' plain <x>'],
            [1, [], 0, 0],
          ],
        ],
        [3, 'ol', [[[0, [], 0, 'one']], [[0, [], 0, 'two']]]],
        [10, 0],
        [10, 1],
      ],
    };
    const { html, notes } = renderMobiledoc(JSON.stringify(doc));
    expect(html).toBe(
      [
        // The first marker opens both markups and closes one (the link), the second the other.
        '<p><strong><a href="https://example.org/?a=1&amp;b=2">bold link</a> plain &lt;x&gt;</strong><br></p>',
        '<ol><li>one</li><li>two</li></ol>',
        '<p><strong>md</strong></p>\n',
        '<p>kept words</p>',
      ].join('\n'),
    );
    expect(notes.map(note => note.message)).toEqual([
      'Ghost card "mystery" is not known here: its text kept',
    ]);
  });

  it('renders lexical text formats, nested lists and decorator cards', () => {
    const text = (value: string, format = 0) => ({ type: 'extended-text', text: value, format });
    const doc = {
      root: {
        type: 'root',
        children: [
          { type: 'paragraph', children: [text('b', 1), text('i', 2), text('c', 16)] },
          {
            type: 'list',
            listType: 'bullet',
            children: [
              { type: 'listitem', children: [text('outer')] },
              {
                type: 'listitem',
                children: [
                  {
                    type: 'list',
                    listType: 'number',
                    children: [{ type: 'listitem', children: [text('inner')] }],
                  },
                ],
              },
            ],
          },
          { type: 'image', src: 'https://img.example.org/a.jpg', altText: 'Alt', caption: 'Cap' },
          { type: 'email-cta', html: '<p>Only in email</p>' },
        ],
      },
    };
    const { html, notes } = renderLexical(JSON.stringify(doc));
    expect(html).toBe(
      [
        '<p><strong>b</strong><em>i</em><code>c</code></p>',
        '<ul><li>outer<ol><li>inner</li></ol></li></ul>',
        '<figure class="kg-card kg-image-card"><img src="https://img.example.org/a.jpg" alt="Alt"><figcaption>Cap</figcaption></figure>',
        '',
      ].join('\n'),
    );
    expect(notes.map(note => note.message)).toEqual([
      'Ghost card "email-cta" is shown in newsletters only: dropped',
    ]);
  });

  it.each([
    [
      'an image card with its caption',
      '<figure class="kg-card kg-image-card kg-card-hascaption"><img src="https://i.example.org/a.jpg" alt="A"><figcaption>Cap <a href="https://x.example.org">x</a></figcaption></figure>',
      '![A](https://i.example.org/a.jpg)\n\n_Cap [x](https://x.example.org)_',
    ],
    [
      'a bookmark card as a link',
      '<figure class="kg-card kg-bookmark-card"><a class="kg-bookmark-container" href="https://b.example.org/"><div class="kg-bookmark-content"><div class="kg-bookmark-title">Title [1]</div><div class="kg-bookmark-description">Desc</div></div><div class="kg-bookmark-thumbnail"><img src="https://b.example.org/t.jpg"></div></a></figure>',
      '[Title \\[1\\]](https://b.example.org/)',
    ],
    [
      'an embed iframe as a link',
      '<figure class="kg-card kg-embed-card"><iframe src="//player.example.org/v/1" title="A film"></iframe></figure>',
      '[A film](https://player.example.org/v/1)',
    ],
    [
      'a gallery as its images',
      '<figure class="kg-card kg-gallery-card"><div class="kg-gallery-container"><div class="kg-gallery-row"><div class="kg-gallery-image"><img src="https://i.example.org/1.jpg" alt="One"></div><div class="kg-gallery-image"><img src="https://i.example.org/2.jpg" alt="Two"></div></div></div></figure>',
      '![One](https://i.example.org/1.jpg)\n\n![Two](https://i.example.org/2.jpg)',
    ],
    [
      'a callout as a quote',
      '<div class="kg-card kg-callout-card kg-callout-card-blue"><div class="kg-callout-emoji">💡</div><div class="kg-callout-text">Tip <b>one</b></div></div>',
      '> 💡 Tip **one**',
    ],
    [
      'an audio card as a link, its player gone',
      '<div class="kg-card kg-audio-card"><audio src="https://m.example.org/a.mp3"></audio><div class="kg-audio-title">Song</div><span class="kg-audio-current-time">0:00</span><button>1&#215;</button></div>',
      '[Song](https://m.example.org/a.mp3)',
    ],
    [
      'an unknown card as its text',
      '<div class="kg-card kg-signup-card"><h2>Join</h2><form><input type="email"><button>Go</button></form></div>',
      '## Join',
    ],
    [
      'html card comments and members-only markers dropped, scripts gone',
      '<!--kg-card-begin: html--><p>Open</p><!--kg-card-end: html--><!--members-only--><script>alert(1)</script><p>Paid</p>',
      'Open\n\nPaid',
    ],
  ])('converts %s', (_name, html, markdown) => {
    expect(ghostHtmlToMarkdown(html).markdown).toBe(markdown);
  });

  it('notes an unknown card of Ghost HTML', () => {
    const { notes } = ghostHtmlToMarkdown('<div class="kg-card kg-nft-card"><p>Art</p></div>');
    expect(notes.map(note => note.message)).toEqual([
      'Ghost card kg-nft-card is not known here: its text kept',
    ]);
  });
});

describe('reading a Ghost export', () => {
  const v5 = fs.readFileSync(fixture(5), 'utf8');

  it('takes the bare { meta, data } form as well as { db: [...] }', () => {
    const wrapped = JSON.parse(v5) as { db: unknown[] };
    const bare = JSON.stringify(wrapped.db[0]);
    const ids = (items: SourceItem[]) =>
      items.map(item => ('post' in item ? item.post.sourceId : item.skipped.sourceId));
    expect(ids(readGhostExport(bare))).toEqual(ids(readGhostExport(v5)));
    // Six posts, the page and the internal tag.
    expect(readGhostExport(bare)).toHaveLength(8);
  });

  it('says what is wrong with a file that is no Ghost export, or a bad --site-url', () => {
    expect(() => readGhostExport('{ "db": [')).toThrow(GhostExportError);
    expect(() => readGhostExport('{ "posts": [] }')).toThrow(/not a Ghost export/);
    expect(() => readGhostExport(v5, { siteUrl: 'ftp://example.org' })).toThrow(/--site-url/);
  });

  it('maps fields: dates, feature image with alt and caption, SEO, canonical, line numbers', () => {
    const [oven] = postsOf(readGhostExport(v5, { siteUrl: `${siteUrl}/` }));
    expect(oven).toMatchObject({
      source: 'ghost',
      site: 'journal.example.org',
      sourceId: '65b2a1b2c3d4e5f6a7b80101',
      line: 11,
      url: `${siteUrl}/oven-is-back-v5/`,
      oldPaths: [],
      updatedAt: new Date('2024-06-02T09:00:00.000Z'),
    });
    expect(oven.values).toMatchObject({
      status: ArticleStatus.PUBLISHED,
      featured: true,
      publishedAt: new Date('2024-06-01T10:00:00.000Z'),
      excerpt: 'Fresh bread again, from Monday.',
      imageUrl: `${siteUrl}/content/images/hero.jpg`,
      imageAlt: 'The oven door, open',
      imageCaption: 'Photo by Ana & team',
      seoTitle: 'Oven back | Journal',
      seoDescription: 'The oven is fixed.',
      canonicalUrl: 'https://example.org/original/oven',
      locale: 'en',
    });
    expect(oven.authors[0]).toEqual({
      slug: 'mara-lind',
      name: 'Mara Lind',
      bio: 'Bakes before sunrise.',
      avatarUrl: `${siteUrl}/content/images/avatars/mara.jpg`,
    });
  });

  it('reads the dates of a Ghost 3 export on SQLite ("2020-05-01 10:00:00", UTC) and Ghost 2 author_id', () => {
    const [, starter] = postsOf(readGhostExport(fs.readFileSync(fixture(3), 'utf8')));
    expect(starter.values.publishedAt).toEqual(new Date('2020-05-01T10:00:00Z'));
    const v2 = postsOf(readGhostExport(fs.readFileSync(fixture(2), 'utf8')));
    // posts_authors lists only the first post; the second names its author in posts.author_id.
    expect(v2[0].authors.map(author => author.slug)).toEqual(['mara-lind', 'tomas-berg']);
    expect(v2[1].authors.map(author => author.slug)).toEqual(['tomas-berg']);
  });

  it('without --site-url keeps Ghost-site URLs as paths, and says so', () => {
    const [oven] = postsOf(readGhostExport(v5));
    expect(oven.site).toBe('ghost');
    expect(oven.url).toBeNull();
    expect(oven.oldPaths).toEqual(['/oven-is-back-v5/']);
    expect(oven.values.imageUrl).toBe('/content/images/hero.jpg');
    expect(oven.warnings).toEqual([
      'links and images to the Ghost site kept as paths: give --site-url to keep them absolute',
    ]);
  });

  it('skips an empty draft, and reads the file through ghostItems', () => {
    const ghost = JSON.parse(v5) as { db: { data: { posts: Record<string, unknown>[] } }[] };
    ghost.db[0].data.posts[2].html = '';
    const items = readGhostExport(JSON.stringify(ghost));
    expect(skippedByKind(items.flatMap(item => ('skipped' in item ? [item.skipped] : [])))).toEqual(
      {
        post: 1,
        page: 1,
        'internal tag': 1,
      },
    );
    expect([...ghostItems(fixture(5))]).toHaveLength(8);
  });
});

/** Per fixture: the options it is imported with and the report it must give, item by item. */
const versions: {
  version: number;
  options: GhostImportOptions;
  articles: number;
  warnings: string[];
}[] = [
  {
    version: 2,
    options: {},
    articles: 5,
    warnings: [
      'members-only in Ghost (visibility members): imported as a draft; --members-posts=public publishes it',
    ],
  },
  {
    version: 3,
    options: {},
    articles: 5,
    warnings: [
      'members-only in Ghost (visibility paid): imported as a draft; --members-posts=public publishes it',
    ],
  },
  {
    version: 4,
    options: { siteUrl },
    articles: 5,
    warnings: [
      'Ghost card "product" is not known here: its text kept',
      'members-only in Ghost (visibility members): imported as a draft; --members-posts=public publishes it',
    ],
  },
  {
    version: 5,
    options: { siteUrl },
    articles: 6,
    warnings: [
      'Ghost card "header" is not known here: its text kept',
      'members-only in Ghost (visibility tiers): imported as a draft; --members-posts=public publishes it',
      'sent as a newsletter only in Ghost (status sent), never on the site: imported as a draft',
    ],
  },
];

describeEachDatabase('Ghost import', dialect => {
  describe.each(versions)('export version $version', ({ version, options, articles, warnings }) => {
    let gateway: TestGateway;
    const writeOptions = { revisionsKept: 50, now: new Date('2026-12-01T00:00:00Z') };
    const s = `-v${version}`;

    beforeAll(async () => {
      gateway = await startTestGateway(dialect);
    });
    afterAll(async () => gateway.close());

    const items = () => ghostItems(fixture(version), options);

    async function articleOf(slug: string): Promise<Article> {
      return gateway.db.getRepository(Article).findOneByOrFail({ slug });
    }

    it('imports with exact counts: articles, authors, tags, old paths, skipped by reason, warnings', async () => {
      const report = await importSourcePosts(gateway.db, items(), writeOptions);
      expect(report.refused).toEqual([]);
      expect(report.articles).toEqual({ created: articles, updated: 0, unchanged: 0 });
      expect(report.authors).toEqual({ created: 2, updated: 0, unchanged: 0 });
      expect(report.tags).toEqual({ created: 3, updated: 0, unchanged: 0 });
      // The published posts' and the members-only post's /<slug>/ (drafts, scheduled, sent: none).
      expect(report.oldPaths).toBe(3);
      expect(skippedByKind(report.skipped)).toEqual({ page: 1, 'internal tag': 1 });
      expect(report.warnings.map(warning => warning.message)).toEqual(warnings);
      expect(report.warnings.every(warning => warning.line !== null)).toBe(true);
    });

    it('re-imports with everything unchanged', async () => {
      const report = await importSourcePosts(gateway.db, items(), writeOptions);
      expect(report.articles).toEqual({ created: 0, updated: 0, unchanged: articles });
      expect(report.authors).toEqual({ created: 0, updated: 0, unchanged: 2 });
      expect(report.tags).toEqual({ created: 0, updated: 0, unchanged: 3 });
      expect(report.refused).toEqual([]);
    });

    it('leaves no card markup, HTML or entity in any body', async () => {
      const bodies = await gateway.db
        .getRepository(Article)
        .find({ select: { slug: true, bodyMarkdown: true } });
      expect(bodies).toHaveLength(articles);
      for (const { slug, bodyMarkdown } of bodies) {
        expect([slug, leftovers.exec(bodyMarkdown)?.[0] ?? null]).toEqual([slug, null]);
      }
    });

    it('keeps the tag and author order, without internal tags', async () => {
      const { body } = await gateway.gql<{ article: Json }>(
        'query ($slug: String!) { article(slug: $slug) { title featured authors { slug name bio avatar { url } } tags { slug } } }',
        { slug: `oven-is-back${s}` },
      );
      expect(body.data?.article).toEqual({
        title: `The oven is back (v${version})`,
        featured: true,
        authors: [
          {
            slug: 'mara-lind',
            name: 'Mara Lind',
            bio: 'Bakes before sunrise.',
            avatar: { url: `${siteUrl}/content/images/avatars/mara.jpg` },
          },
          { slug: 'tomas-berg', name: 'Tomas Berg', bio: null, avatar: null },
        ],
        tags: [{ slug: 'sourdough' }, { slug: 'baking' }],
      });
    });

    it('maps the statuses: draft, scheduled in the future, members-only as a draft', async () => {
      expect((await articleOf(`rye-experiments${s}`)).status).toBe(ArticleStatus.DRAFT);
      const scheduled = await articleOf(`winter-menu${s}`);
      expect([scheduled.status, scheduled.publishedAt]).toEqual([
        ArticleStatus.PUBLISHED,
        new Date('2031-01-15T07:00:00Z'),
      ]);
      expect((await articleOf(`secret-crumb${s}`)).status).toBe(ArticleStatus.DRAFT);
      for (const slug of [`winter-menu${s}`, `secret-crumb${s}`, `about${s}`]) {
        const { body } = await gateway.gql<{ article: Json }>(
          'query ($slug: String!) { article(slug: $slug) { id } }',
          { slug },
        );
        expect([slug, body.data?.article]).toEqual([slug, null]);
      }
    });

    it('converts the mobiledoc or lexical body', async () => {
      const body =
        version === 5
          ? (await articleOf(`shaping-a-loaf${s}`)).bodyMarkdown
          : (await articleOf(`feeding-a-starter${s}`)).bodyMarkdown;
      const expected =
        version === 5
          ? [
              "Lexical is Ghost 5's format: **bold**, _italic_ and [a link](https://example.org/lexical).",
              '## Shaping',
              '-   pre-shape\n    -   rest 20 minutes\n-   final shape',
              '> Bread is a conversation.',
              `![Dough in a banneton](${siteUrl}/content/images/2024/02/banneton.jpg)\n\n_Into the banneton_`,
              '| Step | Time |\n| --- | --- |\n| Proof | 12 h |',
              'Markdown inside lexical: ~~quick~~ _slow_ bread.',
              '```javascript\nconst flour = 500;\nconst water = flour * 0.7;\n```',
              '> 🔥 Preheat for **an hour**.',
              '[Oven guide](https://example.org/oven-guide)',
              '[Scoring bread](https://www.youtube.com/embed/xyz987?feature=oembed)\n\n_Scoring, slowly_',
              'Last line  \nafter a break `and code`',
            ]
          : [
              'Feeding a starter takes **five minutes** a day; see the [flour guide](https://example.org/flour-guide) & the notes below.',
              '## What you need',
              '| Flour | Water |\n| --- | --- |\n| 500 g | 350 g |',
              '_bubbles_',
              'Bake at **230 °C** for 40 minutes.',
              '```python\nhydration = water / flour\nprint(f"{hydration:.0%}")\n```',
              '![Open crumb](',
              '![Dark crust](',
              '_Crumb and crust_',
              'First line  \nsecond line',
            ];
      for (const part of expected) expect(body).toContain(part);
    });

    it('publishes members-only posts with --members-posts=public, still warning', async () => {
      const report = await importSourcePosts(
        gateway.db,
        ghostItems(fixture(version), { ...options, membersPosts: 'public' }),
        writeOptions,
      );
      expect(report.articles).toEqual({ created: 0, updated: 1, unchanged: articles - 1 });
      expect(report.warnings.map(warning => warning.message)).toContain(
        `members-only in Ghost (visibility ${{ 2: 'members', 3: 'paid', 4: 'members', 5: 'tiers' }[version]}): imported as public (--members-posts=public)`,
      );
      expect((await articleOf(`secret-crumb${s}`)).status).toBe(ArticleStatus.PUBLISHED);
    });
  });
});
