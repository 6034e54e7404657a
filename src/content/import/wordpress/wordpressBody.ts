import { type ConversionNote, htmlToMarkdown } from '../htmlToMarkdown';
import { autop } from './autop';
import { linkBareUrls } from './embeds';
import { hasBlocks, renderBlocks } from './gutenbergBlocks';
import { runCodeShortcodes, runShortcodes } from './shortcodes';

/** An attachment of the export, by its post id: what a gallery or featured image points at. */
export interface Attachment {
  url: string;
  alt: string | null;
  caption: string | null;
  width: number | null;
  height: number | null;
}

/** What else the conversion may know about the post. */
export interface BodyOptions {
  /**
   * The ids of the attachments whose parent is this post, in their menu order: a [gallery]
   * without ids showed these in WordPress. Without them such a gallery is a note.
   */
  attachedImageIds?: readonly string[];
}

/**
 * A WordPress post's content (classic HTML or Gutenberg block markup) as the gateway's Markdown,
 * in the order WordPress' the_content filters drew it: block markup to HTML (or wpautop for a
 * classic post), oEmbed URLs, shortcodes, then the shared HTML-to-Markdown conversion. What
 * could not come along (dynamic blocks, unknown shortcodes, embeds reduced to links) is noted.
 */
export function wordpressBodyToMarkdown(
  content: string,
  attachments: ReadonlyMap<string, Attachment>,
  options: BodyOptions = {},
): { markdown: string; notes: ConversionNote[] } {
  const notes: ConversionNote[] = [];
  let html = runCodeShortcodes(pageBreaks(dropMoreTag(content.replace(/\r\n?/g, '\n')), notes));
  // WordPress ran autoembed before wpautop: a URL on a line of its own is found before it gets a <br />.
  html = hasBlocks(html)
    ? linkBareUrls(renderBlocks(html, notes), notes)
    : autop(linkBareUrls(codeBlocks(html), notes));
  html = runShortcodes(html, {
    attachments,
    attachedImageIds: options.attachedImageIds ?? [],
    notes,
  });
  if (/<script\b/i.test(html)) notes.push({ message: 'inline script dropped' });
  if (/<(?:form|input|select|textarea)\b/i.test(html)) notes.push({ message: 'form dropped' });
  // A page break before or after nothing (a gallery that had no images) leaves no stray rule.
  const markdown = htmlToMarkdown(html).replace(/^(?:---\n\n)+|(?:\n\n---)+$/g, '');
  return { markdown, notes: counted(notes) };
}

/** The same note once, with how many times it came up: "… (10 times)". */
function counted(notes: readonly ConversionNote[]): ConversionNote[] {
  const counts = new Map<string, number>();
  for (const { message } of notes) counts.set(message, (counts.get(message) ?? 0) + 1);
  return [...counts].map(([message, count]) => ({
    message: count > 1 ? `${message} (${count} times)` : message,
  }));
}

/** <!--more--> only split the teaser on list pages; the article is whole here. */
function dropMoreTag(content: string): string {
  return content.replace(/<!--more(?:[^]*?)?-->|<!--noteaser-->/g, '');
}

/** <!--nextpage--> split the post into pages; here the pages follow each other, a rule between. */
function pageBreaks(content: string, notes: ConversionNote[]): string {
  const breaks = content.match(/<!--nextpage-->/g)?.length ?? 0;
  if (breaks === 0) return content;
  notes.push({
    message: `${breaks + 1} pages (<!--nextpage-->) joined into one, a horizontal rule between them`,
  });
  return hasBlocks(content) ? content : content.replace(/\n*<!--nextpage-->\n*/g, '\n\n<hr />\n\n');
}

/**
 * A classic post's multi-line <code> (outside <pre>) was shown as a block of code; it becomes a
 * <pre> so wpautop keeps its lines and indentation.
 */
function codeBlocks(content: string): string {
  return content.replace(
    /(?<!<pre[^>]*>\s*)<code(\s[^>]*)?>([^<]*\n[^<]*)<\/code>(?!\s*<\/pre>)/gi,
    (_whole, attributes: string | undefined, code: string) =>
      `\n<pre><code${attributes ?? ''}>${code}</code></pre>\n`,
  );
}
