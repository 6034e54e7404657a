import { type ConversionNote, htmlToMarkdown } from '../htmlToMarkdown';

/** An attachment of the export, by its post id: what a gallery or featured image points at. */
export interface Attachment {
  url: string;
  alt: string | null;
  caption: string | null;
  width: number | null;
  height: number | null;
}

/**
 * A WordPress post's content (classic HTML or Gutenberg block markup) as Markdown: the block
 * comments go, their content stays. First version: the comments and autop paragraphs only;
 * shortcodes ([caption], [gallery], embeds) are the next step (issue 16).
 */
export function wordpressBodyToMarkdown(
  content: string,
  attachments: ReadonlyMap<string, Attachment>,
): { markdown: string; notes: ConversionNote[] } {
  void attachments;
  const withoutBlocks = content.replace(/<!--\s*\/?wp:[^]*?-->/g, '');
  const paragraphs = withoutBlocks
    .split(/\n\s*\n/)
    .map(part => part.trim())
    .filter(Boolean)
    .map(part =>
      /^<(p|h[1-6]|ul|ol|table|blockquote|pre|figure|div)\b/i.test(part) ? part : `<p>${part}</p>`,
    )
    .join('\n');
  return { markdown: htmlToMarkdown(paragraphs), notes: [] };
}
