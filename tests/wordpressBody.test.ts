import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { autop } from '../src/content/import/wordpress/autop';
import { parseAttributes } from '../src/content/import/wordpress/shortcodes';
import {
  type Attachment,
  wordpressBodyToMarkdown,
} from '../src/content/import/wordpress/wordpressBody';
import { renderMarkdown } from '../src/content/markdown';

const FIXTURES = join(__dirname, 'fixtures', 'wordpress');
const BODIES = join(FIXTURES, 'bodies');

/** One post body of tests/fixtures/wordpress/bodies, a copy of the theme unit test data's <content:encoded>. */
function body(postId: string): string {
  const file = readdirSync(BODIES).find(name => name.startsWith(`${postId}-`));
  if (!file) throw new Error(`no fixture body for post ${postId}`);
  return readFileSync(join(BODIES, file), 'utf8');
}

interface FixtureItem {
  id: string;
  type: string;
  parent: string;
  content: string;
  attachmentUrl: string;
  alt: string;
}

/** Every <item> of the theme unit test export, read with saxes as the importer reads it. */
function fixtureItems(): FixtureItem[] {
  const xml = readFileSync(join(FIXTURES, 'themeunittestdata.wordpress.xml'), 'utf8');
  const parser = new SaxesParser();
  const items: FixtureItem[] = [];
  const path: string[] = [];
  let item: FixtureItem | null = null;
  let text = '';
  let metaKey = '';
  parser.on('opentag', tag => {
    path.push(tag.name);
    text = '';
    if (tag.name === 'item') {
      item = { id: '', type: '', parent: '', content: '', attachmentUrl: '', alt: '' };
    }
  });
  parser.on('text', chunk => (text += chunk));
  parser.on('cdata', chunk => (text += chunk));
  parser.on('closetag', tag => {
    path.pop();
    const parent = path[path.length - 1];
    if (item && parent === 'item') {
      if (tag.name === 'wp:post_id') item.id = text.trim();
      if (tag.name === 'wp:post_type') item.type = text.trim();
      if (tag.name === 'wp:post_parent') item.parent = text.trim();
      if (tag.name === 'content:encoded') item.content = text;
      if (tag.name === 'wp:attachment_url') item.attachmentUrl = text.trim();
    }
    if (item && parent === 'wp:postmeta') {
      if (tag.name === 'wp:meta_key') metaKey = text.trim();
      if (tag.name === 'wp:meta_value' && metaKey === '_wp_attachment_image_alt') item.alt = text;
    }
    if (tag.name === 'item' && item) {
      items.push(item);
      item = null;
    }
    text = '';
  });
  parser.write(xml).close();
  return items;
}

const items = fixtureItems();
const attachments = new Map<string, Attachment>(
  items
    .filter(item => item.type === 'attachment')
    .map(item => [
      item.id,
      { url: item.attachmentUrl, alt: item.alt || null, caption: null, width: null, height: null },
    ]),
);
const attachedTo = (postId: string): string[] =>
  items.filter(item => item.type === 'attachment' && item.parent === postId).map(item => item.id);

const convert = (content: string, options = {}) =>
  wordpressBodyToMarkdown(content, attachments, options);

/** Markdown outside code: fenced blocks and inline code spans removed. */
function outsideCode(markdown: string): string {
  return markdown.replace(/^(`{3,})[^\n]*\n[^]*?\n\1$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The rendered article's text: code elements and tags removed, entities left as they are. */
function renderedText(markdown: string): string {
  return renderMarkdown(markdown)
    .html.replace(/<code[^>]*>[^]*?<\/code>/g, '')
    .replace(/<[^>]+>/g, '');
}

describe('autop (WordPress wpautop)', () => {
  it('makes paragraphs of blank lines and <br /> of single newlines', () => {
    expect(autop('one\ntwo\n\nthree')).toBe('<p>one<br />\ntwo</p>\n<p>three</p>\n');
  });

  it('never wraps block elements and keeps <pre> as typed', () => {
    const html = autop('intro\n<h2>Title</h2>\n<pre>a\n\n  b</pre>\nafter');
    expect(html).toBe('<p>intro</p>\n<h2>Title</h2>\n<pre>a\n\n  b</pre>\n<p>after</p>\n');
  });

  it('keeps newlines inside a tag and inside <script> out of the breaks', () => {
    expect(autop('<a\nhref="x">link</a>')).toBe('<p><a\nhref="x">link</a></p>\n');
    expect(autop('<script>a\nb</script>')).toBe('<p><script>a\nb</script></p>\n');
  });
});

describe('shortcode attributes', () => {
  it('reads quoted, unquoted and positional attributes as WordPress does', () => {
    expect(
      parseAttributes(` id="attachment_754" align='alignnone' width=604 https://x.test/a.mp3`),
    ).toEqual({
      id: 'attachment_754',
      align: 'alignnone',
      width: '604',
      '0': 'https://x.test/a.mp3',
    });
  });
});

describe('wordpressBodyToMarkdown: classic posts of the theme unit test data', () => {
  it('post 1178 (HTML tags): headings, quotes, a table, nested lists, code and <pre> kept', () => {
    const { markdown } = convert(body('1178'));
    expect(markdown).toContain('# Header one\n\n## Header two');
    expect(markdown).toContain('> Stay hungry. Stay foolish.');
    expect(markdown).toContain('| Employee | Salary |     |\n| --- | --- | --- |');
    expect(markdown).toContain(
      '-   List item one\n    -   List item one\n        -   List item one',
    );
    expect(markdown).toContain('8.  List item one -start at 8\n    1.  List item one');
    // The multi-line <code> is a block of code with its indentation; <code>&lt;hr /&gt;</code> is inline.
    expect(markdown).toContain('```\n.post-title {\n\tmargin: 0 0 5px;');
    expect(markdown).toContain('a `<hr />` tag');
    // The <pre> poem keeps its blank lines and ASCII art, unescaped, in one fence.
    expect(markdown).toMatch(
      /```\nRobert Frost\n\n\n\tTwo roads[^]*?\(\\_\/\)[^]*?`>>x<<´[^]*?overflows;\n```/,
    );
    expect(markdown).toContain('1 Infinite Loop  \nCupertino, CA 95014  \nUnited States');
    expect(markdown).toContain('**Definition List Title**\n\nDefinition list division.');
    expect(markdown).toContain('This tag shows **bold text.**');
    expect(markdown).toContain('"Developers, developers, developers..." --Steve Ballmer');
    expect(markdown).toContain('emulates `keyboard text`');
  });

  it('post 1177 (image alignment): images with alt and title, [caption] as image and caption line', () => {
    const { markdown, notes } = convert(body('1177'));
    expect(markdown).toContain(
      '![Image Alignment 580x300](https://wpthemetestdata.files.wordpress.com/2013/03/image-alignment-580x300.jpg "Image Alignment 580x300")\n\n*Look at 580x300 getting some [caption](https://en.support.wordpress.com/images/image-settings/ "Image Settings") love.*',
    );
    expect(markdown).toContain('*Feels good to be right all the time.*');
    expect(markdown).not.toMatch(/\[caption(?:\s|\](?!\())|\[\/caption\]/);
    expect(notes).toEqual([]);
  });

  it("post 1031: [gallery ids=…] becomes the attachments' images; a missing one is noted", () => {
    const { markdown, notes } = convert(body('1031'));
    expect(markdown).toContain(
      '![Golden Gate Bridge](https://wpthemetestdata.files.wordpress.com/2008/06/100_5540.jpg)\n\n![Boardwalk](https://wpthemetestdata.files.wordpress.com/2008/06/dcp_2082.jpg)',
    );
    expect(markdown.match(/!\[/g)).toHaveLength(5);
    expect(notes.map(note => note.message)).toEqual(['gallery image 763 is not in the export']);
  });

  it("post 555: [gallery] without ids shows the post's attached images, or is a note without them", () => {
    const withAttached = convert(body('555'), { attachedImageIds: attachedTo('555') });
    // Ten galleries of the images attached to post 555 (the .mp3 and .mov attachments are not images).
    const images = attachedTo('555').filter(id =>
      /\.(jpe?g|png|gif)$/.test(attachments.get(id)?.url ?? ''),
    );
    expect(withAttached.markdown.match(/!\[/g)).toHaveLength(10 * images.length);
    expect(withAttached.markdown).not.toContain('[gallery');

    const without = convert(body('555'));
    expect(without.markdown).not.toContain('[gallery');
    expect(without.notes.map(note => note.message)).toEqual([
      '2 pages (<!--nextpage-->) joined into one, a horizontal rule between them',
      '[gallery] without ids: it showed the images attached to the post, none known here (10 times)',
    ]);
  });

  it('posts 587 and 1161: [audio url] and a bare YouTube URL (oEmbed) become links', () => {
    expect(convert(body('587')).markdown).toContain(
      'Audio shortcode:\n\n<https://wpthemetestdata.files.wordpress.com/2008/06/originaldixielandjazzbandwithalbernard-stlouisblues.mp3>',
    );
    expect(convert('Watch this:\nhttps://www.youtube.com/watch?v=abc\nNice.').markdown).toBe(
      'Watch this:\n\n<https://www.youtube.com/watch?v=abc>\n\nNice.',
    );
    const youtube = convert(body('1161'));
    expect(youtube.markdown.split('\n')[0]).toBe('<https://www.youtube.com/watch?v=SQEQr7c0-dw>');
    expect(youtube.notes.map(note => note.message)).toEqual([
      'embed kept as a link: https://www.youtube.com/watch?v=SQEQr7c0-dw',
    ]);
  });

  it('posts 996 and 1171: <!--more--> is dropped, <!--nextpage--> joins the pages with a rule', () => {
    const more = convert(body('996'));
    expect(more.markdown).toMatch(
      /some sort on list pages[^]*\n\nAnd this content is after the more tag/,
    );
    expect(more.notes).toEqual([]);
    const paginated = convert(body('1171'));
    expect(paginated.markdown).toBe('Post Page 1\n\n---\n\nPost Page 2\n\n---\n\nPost Page 3');
    expect(paginated.notes.map(note => note.message)).toEqual([
      '3 pages (<!--nextpage-->) joined into one, a horizontal rule between them',
    ]);
  });

  it('post 1000: nested and mixed lists keep their levels', () => {
    expect(convert(body('1000')).markdown).toContain(
      '1.  ordered item\n2.  ordered item\n    -   **unordered**\n    -   **unordered**\n        1.  ordered item\n        2.  ordered item\n3.  ordered item',
    );
  });

  it('post 1174: special characters decoded and escaped for Markdown, not left as entities', () => {
    const { markdown } = convert(body('1174'));
    expect(markdown).toContain('| !   | "   | #   | $   | %   | &   |');
    expect(markdown).not.toMatch(/&(amp|lt|gt);/);
    expect(renderedText(markdown)).toContain('&amp;');
  });
});

describe('wordpressBodyToMarkdown: block editor posts', () => {
  it('post 1732 (formatting): code, preformatted, pullquote, tables and verse without block comments', () => {
    const { markdown } = convert(body('1732'));
    // The code block shows block markup as its text: that is the author's code, kept literally.
    expect(markdown).toContain(
      "```\nThe code block starts with\n<!-- wp:code -->\n<?php echo 'Hello World'; ?>\n```",
    );
    expect(outsideCode(markdown)).not.toContain('<!-- wp:');
    expect(markdown).toContain(
      '```\nThe preformatted block.\n\nThe Road Not Taken\n\nRobert Frost \n',
    );
    expect(markdown).toContain(
      '> The pull quote can be aligned or wide or neither.\n> \n> — Theme Reviewer',
    );
    expect(markdown).toContain('| The table block | This is the default style. |');
    expect(markdown).toContain('The custom HTML block lets you put HTML');
  });

  it('post 1738 (embeds): each embed block is a link with its caption, and noted', () => {
    const { markdown, notes } = convert(body('1738'));
    expect(markdown).toContain(
      '<https://twitter.com/WordPress/status/1057136472321613824>\n\n*Twitter,\u00a0 wide width*',
    );
    expect(markdown).toContain(
      '<https://www.instagram.com/p/BpmueLLgEn_/?utm_source=ig_share_sheet&igshid=1hcxphic7p9e2>',
    );
    expect(notes.map(note => note.message)).toEqual([
      'twitter embed kept as a link: https://twitter.com/WordPress/status/1057136472321613824',
      'youtube embed kept as a link: https://youtu.be/ex8fMxXJDJw',
      'facebook embed kept as a link: https://www.facebook.com/6427302910/posts/10156380423617911/',
      'instagram embed kept as a link: https://www.instagram.com/p/BpmueLLgEn_/?utm_source=ig_share_sheet&igshid=1hcxphic7p9e2',
      'wordpress-tv embed kept as a link: https://wordpress.tv/2018/10/14/kjell-reigstad-allan-cole-how-we-made-our-first-gutenberg-powered-theme/',
    ]);
  });

  it('post 1736 (widgets): self-closing dynamic blocks are notes, the RSS block a link, the shortcode block runs', () => {
    const { markdown, notes } = convert(body('1736'));
    expect(markdown).toContain('[RSS feed](https://make.wordpress.org/themes/feed/)');
    expect(markdown).toContain(
      'The shortcode widget:\n\n![Huatulco Coastline](https://wpthemetestdata.files.wordpress.com/2008/06/img_0767.jpg)',
    );
    expect(notes.map(note => note.message)).toEqual([
      'block wp:archives dropped: WordPress drew it when the page was shown (2 times)',
      'block wp:calendar dropped: WordPress drew it when the page was shown',
      'block wp:categories dropped: WordPress drew it when the page was shown',
      'block wp:latest-comments dropped: WordPress drew it when the page was shown (2 times)',
      'block wp:latest-posts dropped: WordPress drew it when the page was shown (3 times)',
      'block wp:search dropped: WordPress drew it when the page was shown',
      'block wp:tag-cloud dropped: WordPress drew it when the page was shown',
    ]);
  });

  it("post 1730 (common): block gallery images with captions, lists, a cover's background image, media as links", () => {
    const { markdown } = convert(body('1730'));
    expect(markdown).toContain(
      '![Brazil Beach](https://wpthemetestdata.files.wordpress.com/2008/06/img_0747.jpg)\n\n*Jericoacoara Ceara Brasil*',
    );
    expect(markdown).toContain('*images are not linked*');
    expect(markdown).toContain('0.  The software should be licensed under the');
    expect(markdown).toContain(
      '![](https://wpthemetestdata.files.wordpress.com/2008/06/dsc04563.jpg)\n\nCover block with background image',
    );
    expect(markdown).toContain(
      '<https://wpthemetestdata.files.wordpress.com/2013/12/2014-slider-mobile-behavior.mov>\n\n*This is a video block caption.*',
    );
    // The file block's link once, without its "Download" button.
    expect(markdown.match(/\[File Block PDF\]/g)).toHaveLength(2);
    expect(markdown).not.toContain('Download');
  });
});

describe('wordpressBodyToMarkdown: shortcodes', () => {
  it('turns [embed], [video], [youtube], [vimeo] and [code] into links and fenced code', () => {
    const { markdown } = convert(
      [
        '[embed width="500"]https://vimeo.com/22439234[/embed]',
        '[video width="640" mp4="https://x.test/clip.mp4"][/video]',
        '[youtube https://www.youtube.com/watch?v=abc]',
        '[vimeo 123]',
        '[code lang="php"]<?php echo 1;\n  echo 2; ?>[/code]',
      ].join('\n\n'),
    );
    expect(markdown).toBe(
      '<https://vimeo.com/22439234>\n\n<https://x.test/clip.mp4>\n\n<https://www.youtube.com/watch?v=abc>\n\n<https://vimeo.com/123>\n\n```php\n<?php echo 1;\n  echo 2; ?>\n```',
    );
  });

  it('keeps unknown shortcodes as text and lists them; [[escaped]] ones are literal', () => {
    const content =
      '[contact-form-7 id="12" title="Kontakt"]\n\nWrite [[gallery]] to show a gallery, [sic].\n\n[foo]\n\n[box]inside[/box]';
    const { markdown, notes } = convert(content);
    expect(markdown).toBe(
      '\\[contact-form-7 id="12" title="Kontakt"\\]\n\nWrite \\[gallery\\] to show a gallery, \\[sic\\].\n\n\\[foo\\]\n\n\\[box\\]inside\\[/box\\]',
    );
    expect(renderMarkdown(markdown).text).toContain('Write [gallery] to show a gallery, [sic].');
    expect(notes.map(note => note.message)).toEqual([
      'unknown shortcode [contact-form-7] kept as text',
      'unknown shortcode [foo] kept as text',
      'unknown shortcode [box] kept as text',
    ]);
  });

  it('drops scripts and inline styles and says so', () => {
    const { markdown, notes } = convert('<p style="color:red">Text</p>\n<script>alert(1)</script>');
    expect(markdown).toBe('Text');
    expect(notes.map(note => note.message)).toEqual(['inline script dropped']);
  });
});

describe('wordpressBodyToMarkdown: markup the fixture has little of', () => {
  it("takes a code block's language from the highlighter classes into the fence", () => {
    const { markdown } = convert(
      '<!-- wp:code -->\n<pre class="wp-block-code"><code class="language-php">&lt;?php echo 1; ?&gt;</code></pre>\n<!-- /wp:code -->\n\n<!-- wp:preformatted -->\n<pre class="brush: js; gutter: false">let a = `x`;</pre>\n<!-- /wp:preformatted -->',
    );
    expect(markdown).toBe('```php\n<?php echo 1; ?>\n```\n\n```js\nlet a = `x`;\n```');
  });

  it('keeps a table with inline code as a Markdown table and unfolds one with a list', () => {
    const withCode = convert(
      '<table><tr><th>Name</th></tr><tr><td><code>a|b</code></td></tr></table>',
    );
    expect(withCode.markdown).toBe('| Name |\n| --- |\n| `a\\|b` |');
    const withList = convert(
      '<table><tr><td>Intro</td><td><ul><li>one</li><li>two</li></ul></td></tr></table>',
    );
    expect(withList.markdown).toBe('Intro\n\n-   one\n-   two');
  });

  it('turns iframes and the new embed block into links, a YouTube frame into its watch URL', () => {
    const { markdown, notes } = convert(
      '<!-- wp:embed {"url":"https://vimeo.com/22439234","type":"video","providerNameSlug":"vimeo"} -->\n<figure class="wp-block-embed is-provider-vimeo"><div class="wp-block-embed__wrapper">\nhttps://vimeo.com/22439234\n</div></figure>\n<!-- /wp:embed -->\n\n<!-- wp:html -->\n<iframe src="https://www.youtube.com/embed/SQEQr7c0-dw?rel=0" width="560"></iframe>\n<!-- /wp:html -->',
    );
    expect(markdown).toBe(
      '<https://vimeo.com/22439234>\n\n<https://www.youtube.com/watch?v=SQEQr7c0-dw>',
    );
    expect(notes.map(note => note.message)).toEqual([
      'vimeo embed kept as a link: https://vimeo.com/22439234',
    ]);
  });

  it('reads [caption caption="…"] and keeps double-escaped text as the text WordPress showed', () => {
    expect(
      convert('[caption caption="A bell"]<img src="https://x.test/bell.jpg" alt="Bell">[/caption]')
        .markdown,
    ).toBe('![Bell](https://x.test/bell.jpg)\n\n*A bell*');
    const doubled = convert('<p>Write &amp;lt;p&amp;gt; for a paragraph &amp;copy;</p>').markdown;
    expect(doubled).toBe('Write \\&lt;p\\&gt; for a paragraph \\&copy;');
    expect(renderMarkdown(doubled).text).toBe('Write &lt;p&gt; for a paragraph &copy;');
  });
});

describe('wordpressBodyToMarkdown: broken exports', () => {
  it('survives 20,000 unclosed block openers (the content stays, no stack overflow)', () => {
    const content = `${'<!-- wp:group -->\n'.repeat(20000)}<p>Still here.</p>`;
    expect(convert(content).markdown).toBe('Still here.');
  });

  it('keeps unclosed shortcodes and invalid block JSON as what they are', () => {
    const { markdown } = convert(
      '<!-- wp:embed {"url": broken} -->\n<p>Text</p>\n<!-- /wp:embed -->\n\n<p>[caption id="1"]<img src="https://x.test/a.jpg" alt="A"> no end</p>',
    );
    expect(markdown).toBe('Text\n\n![A](https://x.test/a.jpg) no end');
  });
});

describe('wordpressBodyToMarkdown: every post and page of the theme unit test data', () => {
  const bodies = items.filter(item => item.type !== 'attachment' && item.content.trim() !== '');

  it('reads the fixture (posts, pages and menu items with content)', () => {
    expect(items.filter(item => item.type === 'post')).toHaveLength(58);
    expect(items.filter(item => item.type === 'page')).toHaveLength(21);
    expect(bodies.length).toBeGreaterThan(70);
  });

  it('leaves no block comment, raw known shortcode, entity or HTML the renderer would show escaped', () => {
    const problems: string[] = [];
    for (const item of bodies) {
      const { markdown } = convert(item.content, { attachedImageIds: attachedTo(item.id) });
      const prose = outsideCode(markdown);
      if (prose.includes('<!-- wp:')) problems.push(`${item.id}: block comment`);
      if (/\[(?:caption|gallery|embed|video|audio)(?:\s|\](?!\())/.test(markdown))
        problems.push(`${item.id}: shortcode`);
      if (/&(?:lt|gt|amp|quot|nbsp|#\d+);/.test(prose)) problems.push(`${item.id}: entity`);
      if (/<(?!https?:\/\/)[a-z/!]/i.test(prose.replace(/\[[^\]]*\]\([^)]*\)/g, ''))) {
        problems.push(`${item.id}: raw HTML`);
      }
      if (/&lt;\/?[a-z]/i.test(renderedText(markdown)))
        problems.push(`${item.id}: escaped HTML when rendered`);
    }
    expect(problems).toEqual([]);
  });

  it("renders through the gateway's Markdown without losing headings, tables or images", () => {
    const tags = convert(body('1178')).markdown;
    const rendered = renderMarkdown(tags);
    expect(rendered.headings.map(heading => heading.text).slice(0, 7)).toEqual([
      'Header one',
      'Header two',
      'Header three',
      'Header four',
      'Header five',
      'Header six',
      'Blockquotes',
    ]);
    expect(rendered.html).toContain('<th>Employee</th>');
    expect(rendered.html).toContain("<td>Because that's all Steve Jobs needed for a salary.</td>");
    expect(rendered.html).toContain('<pre><code>.post-title {');

    const source = body('1177');
    const images = renderMarkdown(convert(source).markdown);
    expect(images.imageCount).toBe(source.match(/<img /g)?.length);
    expect(images.html).toContain(
      '<img src="https://wpthemetestdata.files.wordpress.com/2013/03/image-alignment-150x150.jpg" alt="Image Alignment 150x150" title="Image Alignment 150x150" />',
    );
  });
});
