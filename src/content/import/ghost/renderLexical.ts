import { escapeHtml } from './escapeHtml';
import { renderCard } from './ghostCards';
import type { ConversionNote } from '../htmlToMarkdown';

/**
 * Lexical as Ghost 5 stores it in posts.lexical: { root: { type: "root", children: [...] } }, the
 * nodes of Meta's Lexical (paragraph, heading, quote, list, listitem, link, text, linebreak) with
 * Ghost's extended-text, extended-heading, extended-quote and aside, and Ghost's cards as
 * decorator nodes whose fields are the card's payload (TryGhost/Koenig kg-default-nodes: image,
 * codeblock, markdown, html, callout, bookmark, embed, gallery, toggle, button, ...).
 */
interface LexicalNode {
  type?: string;
  children?: LexicalNode[];
  [field: string]: unknown;
}

// Lexical's text format bits (lexical/src/LexicalConstants.ts), outermost first.
const formats: [number, string][] = [
  [1, 'strong'],
  [2, 'em'],
  [4, 's'],
  [8, 'u'],
  [32, 'sub'],
  [64, 'sup'],
  [16, 'code'],
];

function renderText(node: LexicalNode): string {
  const format = typeof node.format === 'number' ? node.format : 0;
  const tags = formats.filter(([bit]) => (format & bit) !== 0).map(([, tag]) => tag);
  const open = tags.map(tag => `<${tag}>`).join('');
  const close = [...tags]
    .reverse()
    .map(tag => `</${tag}>`)
    .join('');
  return `${open}${escapeHtml(typeof node.text === 'string' ? node.text : '')}${close}`;
}

function renderChildren(node: LexicalNode, notes: ConversionNote[]): string {
  return (node.children ?? []).map(child => renderNode(child, notes)).join('');
}

/** List items; an item that holds only a nested list (Lexical's nesting) joins the one before. */
function renderList(node: LexicalNode, notes: ConversionNote[]): string {
  const tag = node.listType === 'number' || node.tag === 'ol' ? 'ol' : 'ul';
  const items: string[] = [];
  for (const item of node.children ?? []) {
    const children = item.children ?? [];
    const nestedOnly = children.length > 0 && children.every(child => child.type === 'list');
    const html = renderChildren(item, notes);
    if (nestedOnly && items.length) items[items.length - 1] += html;
    else items.push(html);
  }
  return `<${tag}>${items.map(item => `<li>${item}</li>`).join('')}</${tag}>`;
}

function renderNode(node: LexicalNode, notes: ConversionNote[]): string {
  switch (node.type) {
    case 'text':
    case 'extended-text':
      return renderText(node);
    case 'linebreak':
      return '<br>';
    case 'tab':
      return '\t';
    case 'link':
    case 'autolink': {
      const url = typeof node.url === 'string' ? node.url : '';
      return `<a href="${escapeHtml(url)}">${renderChildren(node, notes)}</a>`;
    }
    case 'paragraph':
      return `<p>${renderChildren(node, notes)}</p>`;
    case 'heading':
    case 'extended-heading': {
      const tag = /^h[1-6]$/.test(String(node.tag)) ? String(node.tag) : 'h2';
      return `<${tag}>${renderChildren(node, notes)}</${tag}>`;
    }
    case 'quote':
    case 'extended-quote':
    case 'aside':
      return `<blockquote>${renderChildren(node, notes)}</blockquote>`;
    case 'list':
      return renderList(node, notes);
    case 'listitem':
      return `<li>${renderChildren(node, notes)}</li>`;
    default:
      if (Array.isArray(node.children)) {
        notes.push({ message: `lexical node "${String(node.type)}" kept as its content` });
        return `<div>${renderChildren(node, notes)}</div>`;
      }
      return renderCard(String(node.type), node, notes);
  }
}

/** A post's lexical (the JSON text of posts.lexical) as Ghost-style HTML. */
export function renderLexical(json: string): { html: string; notes: ConversionNote[] } {
  const notes: ConversionNote[] = [];
  const doc = JSON.parse(json) as { root?: LexicalNode };
  const html = (doc.root?.children ?? []).map(node => renderNode(node, notes)).join('\n');
  return { html, notes };
}
