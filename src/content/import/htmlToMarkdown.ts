import { gfm } from '@joplin/turndown-plugin-gfm';
import TurndownService from 'turndown';

/** Something the conversion kept as it was, for the import report. */
export interface ConversionNote {
  message: string;
}

/**
 * The part of turndown's DOM (domino's) the rules read. The project compiles without the DOM
 * library, so the shape is spelled out here.
 */
interface Element {
  nodeName: string;
  nodeType: number;
  nodeValue: string | null;
  textContent: string | null;
  parentNode: Element | null;
  childNodes: ArrayLike<Element> & { forEach(each: (child: Element) => void): void };
  firstElementChild: Element | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): Element | null;
  rows?: ArrayLike<{ cells: ArrayLike<unknown> }>;
}

/**
 * The one HTML-to-Markdown conversion of the imports (WordPress bodies, Ghost's HTML): turndown
 * with the GitHub-flavoured plugin (tables, strikethrough, task lists), ATX headings, fenced code
 * and "-" bullets, as the gateway's own Markdown is written. The importers prepare their source's
 * HTML (block comments, shortcodes, cards) before it comes here.
 *
 * The gateway renders Markdown with raw HTML off (src/content/markdown.ts), so nothing may stay
 * HTML: a figure is its image and an italic caption line, players and iframes are links, a table
 * Markdown cannot hold is unfolded into paragraphs, scripts and styles go.
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
  service.remove([
    'script',
    'style',
    'noscript',
    'template',
    'form',
    'input',
    'select',
    'textarea',
    'button',
  ]);
  addRules(service);
  const escape = service.escape.bind(service);
  // "&copy;" as text stays text: markdown-it would read it as a character reference.
  service.escape = (text: string) => escape(text).replace(/&(?=#?[a-z0-9]+;)/gi, '\\&');
  return service;
}

let shared: TurndownService | null = null;

/** HTML to the gateway's Markdown, with the shared converter. */
export function htmlToMarkdown(html: string): string {
  shared ??= createHtmlToMarkdown();
  return shared.turndown(html).trim();
}

// Later rules win over earlier ones and over the plugin's (turndown tries the newest first).
function addRules(service: TurndownService): void {
  service.addRule('preformatted', {
    filter: 'pre',
    replacement: (_content, node) =>
      fence(textWithBreaks(node as unknown as Element), languageOf(node as unknown as Element)),
  });
  service.addRule('figcaption', {
    filter: 'figcaption',
    replacement: content => {
      const text = oneLine(content);
      return text ? `\n\n*${text}*\n\n` : '';
    },
  });
  service.addRule('media', {
    filter: ['audio', 'video', 'iframe', 'embed', 'object'],
    replacement: (_content, node) => {
      const url = mediaUrl(node as unknown as Element);
      return url ? `\n\n<${url}>\n\n` : '';
    },
  });
  service.addRule('urlAsText', {
    filter: node => {
      const href = node.nodeName === 'A' ? node.getAttribute('href') : null;
      return (
        !!href && /^https?:\/\/[^\s<>]+$/.test(href) && (node.textContent ?? '').trim() === href
      );
    },
    replacement: (_content, node) => `<${(node as unknown as Element).getAttribute('href')}>`,
  });
  service.addRule('nestedEmphasis', {
    // <strong>bold <strong>text</strong></strong> is bold once; "**bold **text****" is not Markdown.
    filter: node =>
      isStrong(node) ? hasAncestor(node, isStrong) : isEm(node) && hasAncestor(node, isEm),
    replacement: content => content,
  });
  service.addRule('keyboard', {
    filter: ['kbd', 'samp', 'tt'],
    replacement: (_content, node) => inlineCode(node.textContent ?? ''),
  });
  service.addRule('inlineQuote', { filter: 'q', replacement: content => `"${content}"` });
  service.addRule('term', {
    filter: 'dt',
    replacement: content => `\n\n**${content.trim()}**\n\n`,
  });
  service.addRule('quoteSource', {
    filter: node =>
      node.nodeName === 'CITE' && hasAncestor(node, parent => parent.nodeName === 'BLOCKQUOTE'),
    replacement: content => `\n\n— ${content.trim()}\n\n`,
  });
  service.addRule('unfoldedTable', {
    // Markdown table cells hold one line: a table with lists, headings or nested tables becomes
    // its cells' content, one block after another, rather than HTML the renderer would not show.
    filter: node =>
      ['TABLE', 'THEAD', 'TBODY', 'TFOOT', 'TR', 'TH', 'TD'].includes(node.nodeName) &&
      hasBlockContent(tableOf(node)),
    replacement: (content, node) =>
      ['TH', 'TD'].includes(node.nodeName) ? `\n\n${content.trim()}\n\n` : `\n\n${content}\n\n`,
  });
  service.addRule('galleryGrid', {
    // The block editor's gallery is a list of figures; in Markdown each image is its own block.
    filter: node =>
      /\bblocks-gallery-(?:grid|item)\b/.test(
        (node as unknown as Element).getAttribute('class') ?? '',
      ),
    replacement: content => `\n\n${content}\n\n`,
  });
  service.addRule('fileButton', {
    // The file block's "Download" button repeats the link just before it.
    filter: node =>
      /\bwp-block-file__button\b/.test((node as unknown as Element).getAttribute('class') ?? ''),
    replacement: () => '',
  });
  service.addRule('tableWithCode', {
    // The plugin keeps a table with <code> in it as HTML; inline code fits a Markdown cell.
    filter: node =>
      node.nodeName === 'TABLE' &&
      !hasBlockContent(node as unknown as Element) &&
      !!(node as unknown as Element).querySelector('code'),
    replacement: (content, node) => markdownTable(content, node as unknown as Element),
  });
}

const BLOCKS_IN_TABLE = 'ul, ol, h1, h2, h3, h4, h5, h6, hr, blockquote, pre, table table, dl';

function hasBlockContent(table: Element | null): boolean {
  return !!table && !!table.querySelector(BLOCKS_IN_TABLE);
}

function tableOf(node: Element): Element | null {
  let current: Element | null = node;
  while (current && current.nodeName !== 'TABLE') current = current.parentNode;
  return current;
}

/** The plugin's Markdown table, with the empty header row it adds when the table has none. */
function markdownTable(content: string, table: Element): string {
  const rows = content.replace(/\n+/g, '\n').trim();
  if (/^\|.*\n\| :?---/.test(rows)) return `\n\n${rows}\n\n`;
  const columns = Math.max(...Array.from(table.rows ?? [], row => row.cells.length), 1);
  const header = `|${'     |'.repeat(columns)}\n|${' --- |'.repeat(columns)}`;
  return `\n\n${header}\n${rows}\n\n`;
}

function isStrong(node: Element): boolean {
  return node.nodeName === 'STRONG' || node.nodeName === 'B';
}

function isEm(node: Element): boolean {
  return node.nodeName === 'EM' || node.nodeName === 'I';
}

function hasAncestor(node: Element, test: (parent: Element) => boolean): boolean {
  for (let parent = node.parentNode; parent; parent = parent.parentNode)
    if (test(parent)) return true;
  return false;
}

/** A <pre>'s text as typed: <br> are newlines (the block editor saves them so), tags go. */
function textWithBreaks(node: Element): string {
  let text = '';
  node.childNodes.forEach(child => {
    if (child.nodeName === 'BR') text += '\n';
    else if (child.nodeType === 3) text += child.nodeValue ?? '';
    else text += textWithBreaks(child);
  });
  return text;
}

/** The language of a code block from the class WordPress' highlighters put on <code> or <pre>. */
function languageOf(pre: Element): string {
  const code = pre.firstElementChild?.nodeName === 'CODE' ? pre.firstElementChild : null;
  const classes = `${code?.getAttribute('class') ?? ''} ${pre.getAttribute('class') ?? ''}`;
  const language =
    /(?:^|\s)(?:language-|lang-|lang:|brush:\s*)([\w+#-]+)/i.exec(classes)?.[1] ?? '';
  return language.toLowerCase();
}

function fence(code: string, language: string): string {
  const body = code.replace(/^\n/, '').replace(/\n+$/, '');
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map(run => run.length));
  const marker = '`'.repeat(longest + 1);
  return `\n\n${marker}${language}\n${body}\n${marker}\n\n`;
}

function inlineCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map(run => run.length));
  const marker = '`'.repeat(longest + 1);
  const padding = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return text ? `${marker}${padding}${text}${padding}${marker}` : '';
}

function oneLine(markdown: string): string {
  return markdown
    .replace(/ {2}\n/g, ' ')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

/** Where a player or frame pointed: its src, its first <source>, an object's data. */
function mediaUrl(node: Element): string | null {
  const source = node.querySelector('source[src]');
  const url =
    node.getAttribute('src') ?? source?.getAttribute('src') ?? node.getAttribute('data') ?? '';
  const youtube = /^https?:\/\/(?:www\.)?youtube(?:-nocookie)?\.com\/embed\/([\w-]+)/.exec(url);
  if (youtube) return `https://www.youtube.com/watch?v=${youtube[1]}`;
  return /^https?:\/\/[^\s<>]+$/.test(url) ? url : null;
}
