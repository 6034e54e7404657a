import type TurndownService from 'turndown';
import { type ConversionNote, createHtmlToMarkdown } from '../htmlToMarkdown';

/**
 * The cards Ghost's renderers write into a post's HTML (TryGhost/Koenig kg-default-nodes), by
 * their kg-<name>-card class. Those with no rule below convert well as they are (their images,
 * text and links); any other card keeps its text, with a note.
 */
const knownCards = new Set([
  'image',
  'gallery',
  'bookmark',
  'embed',
  'code',
  'callout',
  'toggle',
  'button',
  'video',
  'audio',
  'file',
  'header',
  'product',
]);

/** What the rules read of turndown's DOM nodes (domino's elements; the project has no DOM lib). */
interface CardNode {
  nodeName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): CardNode | null;
}

/** turndown's node as the part the rules read. */
const asCard = (node: unknown): CardNode => node as CardNode;

function classesOf(node: CardNode): string[] {
  // Every rule asks every element: most have no card class, and are answered without a split.
  const value = node.getAttribute('class');
  return value?.includes('kg-') ? value.split(/\s+/).filter(Boolean) : [];
}

function hasClass(node: CardNode, name: string): boolean {
  return classesOf(node).includes(name);
}

function textOf(node: CardNode, selector: string): string {
  return (node.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** A protocol-relative embed source ("//www.youtube.com/embed/x") made absolute. */
function absolute(url: string): string {
  return url.startsWith('//') ? `https:${url}` : url;
}

function block(markdown: string): string {
  return markdown ? `\n\n${markdown}\n\n` : '';
}

// Notes of the conversion under way (turndown's rules run synchronously inside turndown()).
let notes: ConversionNote[] = [];

/** Ghost's card markup as Markdown: each rule turns one card part into what it shows. */
function addGhostRules(service: TurndownService): TurndownService {
  service.remove(['script', 'style', 'form']);
  // Added first, so the specific rules below (turndown tries the last added first) win.
  service.addRule('ghostUnknownCard', {
    filter: node =>
      classesOf(asCard(node)).some(name => {
        const card = /^kg-([a-z0-9-]+)-card$/.exec(name)?.[1];
        return card !== undefined && !knownCards.has(card);
      }),
    replacement: (content, node) => {
      const card = classesOf(asCard(node)).find(name => /^kg-.+-card$/.test(name));
      notes.push({ message: `Ghost card ${card} is not known here: its text kept` });
      return block(content.trim());
    },
  });
  service.addRule('ghostCaption', {
    filter: 'figcaption',
    replacement: content => {
      const caption = content.trim().replace(/\s*\n+\s*/g, ' ');
      return block(caption && !caption.includes('_') ? `_${caption}_` : caption);
    },
  });
  service.addRule('ghostBookmark', {
    filter: node => node.nodeName === 'A' && hasClass(asCard(node), 'kg-bookmark-container'),
    replacement: (_content, node) => {
      const element = asCard(node);
      const href = element.getAttribute('href') ?? '';
      const title = textOf(element, '.kg-bookmark-title') || href;
      return block(`[${service.escape(title)}](${href})`);
    },
  });
  service.addRule('ghostFile', {
    filter: node => node.nodeName === 'A' && hasClass(asCard(node), 'kg-file-card-container'),
    replacement: (_content, node) => {
      const element = asCard(node);
      const href = element.getAttribute('href') ?? '';
      const title =
        textOf(element, '.kg-file-card-title') || textOf(element, '.kg-file-card-filename') || href;
      return block(`[${service.escape(title)}](${href})`);
    },
  });
  service.addRule('ghostEmbedFrame', {
    filter: ['iframe', 'video', 'audio'],
    replacement: (_content, node) => {
      const element = asCard(node);
      const src = absolute(
        element.getAttribute('src') ?? element.querySelector('source')?.getAttribute('src') ?? '',
      );
      const label = element.getAttribute('title') || src;
      return src ? block(`[${service.escape(label)}](${src})`) : '';
    },
  });
  // Ghost's video and audio cards carry a player (buttons, "0:00", "1×"): the card is its link.
  service.addRule('ghostMediaCard', {
    filter: node =>
      hasClass(asCard(node), 'kg-video-card') || hasClass(asCard(node), 'kg-audio-card'),
    replacement: (_content, node) => {
      const element = asCard(node);
      const media = element.querySelector('video') ?? element.querySelector('audio');
      const src = absolute(media?.getAttribute('src') ?? '');
      const label =
        textOf(element, '.kg-audio-title') || (element.querySelector('video') ? 'Video' : 'Audio');
      const caption = textOf(element, 'figcaption');
      const link = src ? `[${service.escape(label)}](${src})` : '';
      return block(
        [link, caption ? `_${service.escape(caption)}_` : ''].filter(Boolean).join('\n\n'),
      );
    },
  });
  service.addRule('ghostCallout', {
    filter: node => hasClass(asCard(node), 'kg-callout-card'),
    replacement: content => {
      const quoted = content
        .trim()
        .replace(/\n{3,}/g, '\n\n')
        .replace(/^/gm, '> ');
      return block(quoted);
    },
  });
  service.addRule('ghostCalloutEmoji', {
    filter: node => hasClass(asCard(node), 'kg-callout-emoji'),
    replacement: content => (content.trim() ? `${content.trim()} ` : ''),
  });
  service.addRule('ghostCalloutText', {
    filter: node => hasClass(asCard(node), 'kg-callout-text'),
    replacement: content => content.trim(),
  });
  return service;
}

let shared: TurndownService | null = null;

/**
 * A Ghost post's HTML (its html field, or what renderMobiledoc or renderLexical made) as the
 * gateway's Markdown: the shared conversion (createHtmlToMarkdown, turndown with GFM) plus the
 * rules for Ghost's cards: an image card is the image and its caption below, a gallery its images,
 * a bookmark card a link to the page, an embed (iframe, video, audio) a link to what it plays, a
 * callout a quote, a file card a link to the file. Ghost's HTML comments (kg-card-begin,
 * members-only) go, as every comment does; scripts, styles and forms (signup cards) go too.
 */
export function ghostHtmlToMarkdown(html: string): { markdown: string; notes: ConversionNote[] } {
  shared ??= addGhostRules(createHtmlToMarkdown());
  notes = [];
  const markdown = shared.turndown(html).trim();
  const found = notes;
  notes = [];
  return { markdown, notes: found };
}
