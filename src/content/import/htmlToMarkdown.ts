import { gfm } from '@joplin/turndown-plugin-gfm';
import TurndownService from 'turndown';

/** Something the conversion kept as it was, for the import report. */
export interface ConversionNote {
  message: string;
}

/**
 * The one HTML-to-Markdown conversion of the imports (WordPress bodies, Ghost's HTML): turndown
 * with the GitHub-flavoured plugin (tables, strikethrough, task lists), ATX headings, fenced code
 * and "-" bullets, as the gateway's own Markdown is written. The importers prepare their source's
 * HTML (block comments, shortcodes, cards) before it comes here.
 */
export function createHtmlToMarkdown(): TurndownService {
  const service = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
    emDelimiter: '_',
    hr: '---',
  });
  service.use(gfm);
  return service;
}

let shared: TurndownService | null = null;

/** HTML to the gateway's Markdown, with the shared converter. */
export function htmlToMarkdown(html: string): string {
  shared ??= createHtmlToMarkdown();
  return shared.turndown(html).trim();
}
