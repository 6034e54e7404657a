import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { slugOf } from './textFolding';

type Token = ReturnType<MarkdownIt['parse']>[number];

export interface HeadingValue {
  level: number;
  text: string;
  anchor: string;
}

export interface RenderedMarkdown {
  /** Sanitized HTML; every heading carries the id named in `headings`. */
  html: string;
  /** Plain text, blocks separated by a blank line. */
  text: string;
  headings: HeadingValue[];
  wordCount: number;
  imageCount: number;
  /** The first paragraph's text, for the automatic excerpt. */
  firstParagraph: string;
}

// Raw HTML in Markdown is not rendered: the body is the author's text, never markup to trust.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'a', 'ul', 'ol', 'li', 'blockquote', 'pre'],
    ...[
      'code',
      'em',
      'strong',
      's',
      'hr',
      'br',
      'img',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
    ],
  ],
  allowedAttributes: {
    h1: ['id'],
    h2: ['id'],
    h3: ['id'],
    h4: ['id'],
    h5: ['id'],
    h6: ['id'],
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title'],
    code: ['class'],
    th: ['style'],
    td: ['style'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: /^https?:/.test(attribs.href ?? '') ? { ...attribs, rel: 'noopener' } : attribs,
    }),
  },
  allowedStyles: { '*': { 'text-align': [/^(left|right|center)$/] } },
};

/** Counts words as runs of letters and digits, joined by hyphens or apostrophes ("E-Mail" is one). */
export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}

/**
 * Renders an article's Markdown once, at import: sanitized HTML with unique heading ids, plain
 * text, the heading list for a table of contents, and the counts reading time needs.
 */
export function renderMarkdown(markdown: string): RenderedMarkdown {
  const tokens = md.parse(markdown, {});
  const headings: HeadingValue[] = [];
  const used = new Map<string, number>();
  const blocks: string[] = [];
  let imageCount = 0;
  let firstParagraph = '';

  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    if (token.type !== 'inline') continue;
    const text = inlineText(token.children ?? []);
    imageCount += (token.children ?? []).filter(child => child.type === 'image').length;
    if (text) blocks.push(text);
    const opening = tokens[i - 1];
    if (opening?.type === 'heading_open') {
      const base = slugOf(text) || 'section';
      const seen = used.get(base) ?? 0;
      used.set(base, seen + 1);
      const anchor = seen === 0 ? base : `${base}-${seen}`;
      opening.attrSet('id', anchor);
      headings.push({ level: Number(opening.tag.slice(1)), text, anchor });
    } else if (opening?.type === 'paragraph_open' && !firstParagraph && text) {
      firstParagraph = text;
    }
  }

  const html = sanitizeHtml(md.renderer.render(tokens, md.options, {}), sanitizeOptions).trim();
  const text = blocks.join('\n\n');
  return { html, text, headings, wordCount: countWords(text), imageCount, firstParagraph };
}

function inlineText(children: Token[]): string {
  return children
    .map(child => {
      if (child.type === 'text' || child.type === 'code_inline') return child.content;
      if (child.type === 'softbreak' || child.type === 'hardbreak') return ' ';
      return '';
    })
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * An excerpt of about `max` characters: the text cut at the last word boundary before the limit,
 * with an ellipsis where it was cut.
 */
export function cutAtWord(text: string, max = 160): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max + 1);
  const boundary = cut.lastIndexOf(' ');
  const head = (boundary > max * 0.5 ? cut.slice(0, boundary) : clean.slice(0, max)).replace(
    /[\s,;:.–-]+$/u,
    '',
  );
  return `${head}…`;
}
