import { escapeHtml } from './escapeHtml';
import { type CardPayload, renderCard } from './ghostCards';
import type { ConversionNote } from '../htmlToMarkdown';

/**
 * Mobiledoc 0.3 as Ghost 1 to 4 store it in posts.mobiledoc (the format of bustle/mobiledoc-kit's
 * MOBILEDOC.md; the card payloads of Ghost's kg-default-cards):
 *   { version, atoms: [[name, text, payload]], cards: [[name, payload]],
 *     markups: [[tag, [attr, value, ...]]], sections: [...] }
 * A section is [1, tag, markers] (p, h1-h6, blockquote, aside), [2, src] (an image),
 * [3, "ul" | "ol", [markers, ...]] (a list, one marker array per item) or [10, cardIndex].
 * A marker is [0, openedMarkups, closedCount, text] or [1, openedMarkups, closedCount, atomIndex].
 */
interface Mobiledoc {
  atoms?: [string, string, CardPayload][];
  cards?: [string, CardPayload][];
  markups?: [string, string[]?][];
  sections?: unknown[][];
}

type Marker = [number, number[], number, string | number];

// The markups and sections mobiledoc-kit allows; anything else is rendered as its text only.
const markupTags = new Set(['a', 'b', 'code', 'em', 'i', 's', 'strong', 'sub', 'sup', 'u']);
const sectionTags: Record<string, string> = {
  p: 'p',
  h1: 'h1',
  h2: 'h2',
  h3: 'h3',
  h4: 'h4',
  h5: 'h5',
  h6: 'h6',
  blockquote: 'blockquote',
  aside: 'blockquote', // Ghost's second quote style
  'pull-quote': 'blockquote',
};

function openTag(markup: [string, string[]?] | undefined): { open: string; close: string } {
  const tag = markup?.[0]?.toLowerCase() ?? '';
  if (!markupTags.has(tag)) return { open: '', close: '' };
  const attributes = markup?.[1] ?? [];
  const href = tag === 'a' ? attributes[attributes.indexOf('href') + 1] : undefined;
  const attribute = tag === 'a' && typeof href === 'string' ? ` href="${escapeHtml(href)}"` : '';
  return { open: `<${tag}${attribute}>`, close: `</${tag}>` };
}

/** A run of markers as inline HTML: markups open before a marker and close after it. */
function renderMarkers(doc: Mobiledoc, markers: Marker[], notes: ConversionNote[]): string {
  const open: string[] = [];
  let html = '';
  for (const [type, opened, closed, value] of markers) {
    for (const index of opened ?? []) {
      const tag = openTag(doc.markups?.[index]);
      html += tag.open;
      open.push(tag.close);
    }
    if (type === 1) {
      const atom = doc.atoms?.[value as number];
      if (atom?.[0] === 'soft-return') html += '<br>';
      else if (atom) {
        notes.push({ message: `mobiledoc atom "${atom[0]}" kept as its text` });
        html += escapeHtml(atom[1] ?? '');
      }
    } else {
      html += escapeHtml(String(value ?? ''));
    }
    for (let i = 0; i < (closed ?? 0); i += 1) html += open.pop() ?? '';
  }
  return html + open.reverse().join('');
}

function renderSection(doc: Mobiledoc, section: unknown[], notes: ConversionNote[]): string {
  const [type] = section;
  if (type === 1) {
    const tag = sectionTags[String(section[1]).toLowerCase()] ?? 'p';
    return `<${tag}>${renderMarkers(doc, section[2] as Marker[], notes)}</${tag}>`;
  }
  if (type === 2) return renderCard('image', { src: section[1] }, notes);
  if (type === 3) {
    const tag = String(section[1]).toLowerCase() === 'ol' ? 'ol' : 'ul';
    const items = (section[2] as Marker[][]).map(
      item => `<li>${renderMarkers(doc, item, notes)}</li>`,
    );
    return `<${tag}>${items.join('')}</${tag}>`;
  }
  if (type === 10) {
    const card = doc.cards?.[section[1] as number];
    return card ? renderCard(card[0], card[1] ?? {}, notes) : '';
  }
  notes.push({ message: `mobiledoc section of type ${String(type)} dropped` });
  return '';
}

/** A post's mobiledoc (the JSON text of posts.mobiledoc) as Ghost-style HTML. */
export function renderMobiledoc(json: string): { html: string; notes: ConversionNote[] } {
  const notes: ConversionNote[] = [];
  const doc = JSON.parse(json) as Mobiledoc;
  const html = (doc.sections ?? []).map(section => renderSection(doc, section, notes)).join('\n');
  return { html, notes };
}
