import MarkdownIt from 'markdown-it';
import { escapeHtml } from './escapeHtml';
import type { ConversionNote } from '../htmlToMarkdown';

/** A card's payload as Ghost stores it in mobiledoc (cards[i][1]) and lexical (the node itself). */
export type CardPayload = Record<string, unknown>;

// Ghost renders markdown cards with markdown-it and raw HTML allowed (kg-default-cards); the HTML
// then goes through the same conversion as every other Ghost body.
const markdown = new MarkdownIt({ html: true, linkify: true });

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function figure(kind: string, inner: string, caption: unknown): string {
  const figcaption = text(caption) ? `<figcaption>${text(caption)}</figcaption>` : '';
  return `<figure class="kg-card kg-${kind}-card">${inner}${figcaption}</figure>`;
}

function image(payload: CardPayload): string {
  const alt = text(payload.alt) || text(payload.altText);
  const title = text(payload.title) ? ` title="${escapeHtml(text(payload.title))}"` : '';
  return `<img src="${escapeHtml(text(payload.src))}" alt="${escapeHtml(alt)}"${title}>`;
}

function link(url: string, label: string): string {
  return `<a href="${escapeHtml(url)}">${escapeHtml(label || url)}</a>`;
}

/** Text-like fields of a card this renderer does not know, kept where the card has any. */
const textFields = /(text|title|heading|header|content|description|caption)$/i;

function unknownCard(name: string, payload: CardPayload, notes: ConversionNote[]): string {
  const kept = Object.entries(payload)
    .filter(([key, value]) => textFields.test(key) && typeof value === 'string' && value.trim())
    .map(([, value]) => `<p>${value as string}</p>`);
  notes.push({
    message: `Ghost card "${name}" is not known here: ${kept.length ? 'its text kept' : 'dropped (no text)'}`,
  });
  return kept.join('');
}

/**
 * One Ghost card (mobiledoc card or lexical decorator node) as the HTML Ghost's own renderers
 * give it (TryGhost/Koenig kg-default-nodes: kg-card figures and divs), so an export with HTML and
 * one with only mobiledoc or lexical go through the same conversion (ghostHtmlToMarkdown). The
 * payload field names are Ghost's: mobiledoc's image has `alt`, lexical's has `altText`.
 * Email-only cards (shown in newsletters, never on the site) are dropped; a card not known here
 * becomes its text, with a note.
 */
export function renderCard(name: string, payload: CardPayload, notes: ConversionNote[]): string {
  switch (name) {
    case 'markdown':
    case 'card-markdown': // Ghost 1.x's name of the markdown card
      return markdown.render(text(payload.markdown));
    case 'html':
      return text(payload.html);
    case 'hr':
    case 'horizontalrule':
      return '<hr>';
    case 'image':
      return figure('image', image(payload), payload.caption);
    case 'gallery': {
      const images = Array.isArray(payload.images) ? (payload.images as CardPayload[]) : [];
      const inner = images.map(one => `<div class="kg-gallery-image">${image(one)}</div>`);
      return figure(
        'gallery',
        `<div class="kg-gallery-container">${inner.join('')}</div>`,
        payload.caption,
      );
    }
    case 'code':
    case 'codeblock': {
      const language = text(payload.language)
        ? ` class="language-${escapeHtml(text(payload.language))}"`
        : '';
      const pre = `<pre><code${language}>${escapeHtml(text(payload.code))}</code></pre>`;
      return text(payload.caption) ? figure('code', pre, payload.caption) : pre;
    }
    case 'bookmark': {
      const metadata = (payload.metadata ?? {}) as CardPayload;
      const url = text(payload.url);
      const title = text(metadata.title) || url;
      const inner = `<a class="kg-bookmark-container" href="${escapeHtml(url)}"><div class="kg-bookmark-content"><div class="kg-bookmark-title">${escapeHtml(title)}</div><div class="kg-bookmark-description">${escapeHtml(text(metadata.description))}</div></div></a>`;
      return url ? figure('bookmark', inner, payload.caption) : '';
    }
    case 'embed':
      return figure('embed', text(payload.html) || link(text(payload.url), ''), payload.caption);
    case 'callout':
      return `<div class="kg-card kg-callout-card"><div class="kg-callout-emoji">${escapeHtml(text(payload.calloutEmoji))}</div><div class="kg-callout-text">${text(payload.calloutText)}</div></div>`;
    case 'toggle':
      return `<div class="kg-card kg-toggle-card"><div class="kg-toggle-heading"><h4 class="kg-toggle-heading-text">${text(payload.heading)}</h4></div><div class="kg-toggle-content">${text(payload.content)}</div></div>`;
    case 'button':
      return `<div class="kg-card kg-button-card">${link(text(payload.buttonUrl), text(payload.buttonText))}</div>`;
    case 'video':
    case 'audio':
      return figure(name, link(text(payload.src), text(payload.title) || name), payload.caption);
    case 'file':
      return `<div class="kg-card kg-file-card">${link(text(payload.src), text(payload.fileTitle) || text(payload.fileName))}</div>`;
    case 'paywall':
      // Where a members-only post's free preview ends; Ghost renders a comment.
      return '<!--members-only-->';
    case 'email':
    case 'email-cta':
      notes.push({ message: `Ghost card "${name}" is shown in newsletters only: dropped` });
      return '';
    default:
      return unknownCard(name, payload, notes);
  }
}
