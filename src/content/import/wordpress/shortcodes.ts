import { type ConversionNote } from '../htmlToMarkdown';
import { escapeHtml, isWebUrl, mediaLink } from './htmlText';

/** A shortcode's attributes: named ones by lower-case name, positional ones by their index. */
export type ShortcodeAttributes = Record<string, string>;

/** What a shortcode handler sees: its attributes, its enclosed content, and the post's context. */
interface ShortcodeCall {
  attributes: ShortcodeAttributes;
  content: string | null;
  context: ShortcodeContext;
}

/** What a gallery needs of an attachment (the export's Attachment has these and more). */
export interface GalleryImage {
  url: string;
  alt: string | null;
  caption: string | null;
}

export interface ShortcodeContext {
  attachments: ReadonlyMap<string, GalleryImage>;
  /** The post's own attached images, in order: what a [gallery] without ids shows. */
  attachedImageIds: readonly string[];
  notes: ConversionNote[];
}

type Handler = (call: ShortcodeCall) => string;

const IMAGE_FILE = /\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?)(?:[?#].*)?$/i;

/**
 * The shortcodes WordPress core (and Jetpack's common embeds and the syntax highlighters) draw,
 * each as the HTML the Markdown conversion understands: a figure with its caption, the gallery's
 * images, links for embeds and players, fenced code.
 */
const HANDLERS: Record<string, Handler> = {
  caption: caption,
  wp_caption: caption,
  gallery: gallery,
  embed: ({ attributes, content, context }) =>
    linkOrNote('embed', (content ?? attributes.src ?? '').trim(), context),
  video: call => player('video', call),
  audio: call => player('audio', call),
  youtube: ({ attributes, content, context }) =>
    linkOrNote('youtube', jetpackUrl(attributes, content), context),
  vimeo: ({ attributes, content, context }) => {
    const value = jetpackUrl(attributes, content);
    return linkOrNote('vimeo', /^\d+$/.test(value) ? `https://vimeo.com/${value}` : value, context);
  },
};

/**
 * SyntaxHighlighter's [code lang="php"]…[/code] and [sourcecode language="js"]…[/sourcecode] as
 * fenced code. They run first, before wpautop, as the plugin did: the code is text as typed, so
 * its newlines stay newlines and its "<" stays a character.
 */
export function runCodeShortcodes(html: string): string {
  // Only an enclosing [code]…[/code] is code; without a closing tag there is nothing to look for.
  if (!/\[\/(?:code|sourcecode)\]/i.test(html)) return html;
  return html.replace(shortcodePattern(['code', 'sourcecode']), (...match: string[]) => {
    const [whole, openEscape, , rawAttributes, , content, closeEscape] = match;
    if (openEscape === '[' && closeEscape === ']') return literal(whole.slice(1, -1));
    if (content === undefined) return whole;
    const attributes = parseAttributes(rawAttributes);
    const language = (attributes.lang ?? attributes.language ?? '').replace(/[^\w+#-]/g, '');
    const className = language ? ` class="language-${language}"` : '';
    const code = escapeHtml(decodeBasicEntities(content).replace(/^\n|\n$/g, ''));
    return `${openEscape}<pre><code${className}>${code}</code></pre>${closeEscape}`;
  });
}

/** The visual editor saved "<" in code as "&lt;"; the text editor saved it as typed. Both are text. */
function decodeBasicEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Runs every shortcode of a post's HTML; unknown ones stay as text and are noted. */
export function runShortcodes(html: string, context: ShortcodeContext): string {
  const names = Object.keys(HANDLERS);
  // Only a name whose closing tag occurs is looked for with content: an unclosed [caption] would
  // otherwise make every later one scan to the end of the post.
  const lower = html.toLowerCase();
  const closed = names.filter(name => lower.includes(`[/${name}]`));
  const open = names.filter(name => !closed.includes(name));
  let expanded = html;
  if (closed.length > 0) {
    expanded = expanded.replace(shortcodePattern(closed, true), (...match: string[]) =>
      expand(match, context),
    );
  }
  if (open.length > 0) {
    expanded = expanded.replace(shortcodePattern(open, false), (...match: string[]) =>
      expand(match, context),
    );
  }
  return keepUnknown(expanded, context.notes);
}

/** An escaped shortcode's text, its brackets as character references so no later pass takes it. */
function literal(text: string): string {
  return text.replace(/\[/g, '&#91;').replace(/\]/g, '&#93;');
}

/** WordPress' shortcode pattern (get_shortcode_regex) for the given names. */
function shortcodePattern(names: readonly string[], enclosing = true): RegExp {
  const tag = names.join('|');
  const content = enclosing ? String.raw`(?:([^\[]*(?:\[(?!\/\2\])[^\[]*)*)\[\/\2\])?` : '()';
  return new RegExp(
    String.raw`\[(\[?)(${tag})(?![\w-])([^\]\/]*(?:\/(?!\])[^\]\/]*)*?)(?:(\/)\]|\]${content})(\]?)`,
    'gi',
  );
}

function expand(match: string[], context: ShortcodeContext): string {
  const [whole, openEscape, rawName, rawAttributes, , content, closeEscape] = match;
  // [[gallery]] is how an author writes the literal text "[gallery]".
  if (openEscape === '[' && closeEscape === ']') return literal(whole.slice(1, -1));
  const name = rawName.toLowerCase();
  const handler = HANDLERS[name];
  const attributes = parseAttributes(rawAttributes);
  // Without a closing tag there is no content (the pattern without one captures an empty group).
  return `${openEscape}${handler({ attributes, content: content || null, context })}${closeEscape}`;
}

/** WordPress' shortcode_parse_atts: name="value", name='value', name=value, "value", value. */
export function parseAttributes(text: string): ShortcodeAttributes {
  const attributes: ShortcodeAttributes = {};
  const pattern =
    /([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)/g;
  let position = 0;
  for (const m of text.replace(/[\u00a0\u200b]+/g, ' ').matchAll(pattern)) {
    if (m[1] !== undefined) attributes[m[1].toLowerCase()] = m[2];
    else if (m[3] !== undefined) attributes[m[3].toLowerCase()] = m[4];
    else if (m[5] !== undefined) attributes[m[5].toLowerCase()] = m[6];
    else attributes[String(position++)] = m[7] ?? m[8] ?? m[9];
  }
  return attributes;
}

/** [caption]<a><img></a> text[/caption]: a figure whose caption is the text after the image. */
function caption({ attributes, content, context }: ShortcodeCall): string {
  const inner = runShortcodes(content ?? '', context);
  const parts = /^\s*((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*<\/a>)?)([^]*)$/i.exec(inner);
  const image = parts ? parts[1] : inner;
  const text = (attributes.caption ?? (parts ? parts[2] : '')).trim();
  const figcaption = text ? `<figcaption>${text}</figcaption>` : '';
  return `<figure>${image}${figcaption}</figure>`;
}

/** [gallery ids="1,2"] (or include=): the attachments' images, each with its caption. */
function gallery({ attributes, context }: ShortcodeCall): string {
  const listed = (attributes.ids ?? attributes.include ?? '')
    .split(',')
    .map(id => id.trim())
    .filter(Boolean);
  const ids = listed.length > 0 ? listed : context.attachedImageIds;
  if (ids.length === 0) {
    context.notes.push({
      message: '[gallery] without ids: it showed the images attached to the post, none known here',
    });
    return '';
  }
  const figures = ids.map(id => {
    const attachment = context.attachments.get(id);
    if (!attachment) {
      context.notes.push({ message: `gallery image ${id} is not in the export` });
      return '';
    }
    if (!IMAGE_FILE.test(attachment.url)) return '';
    const img = `<img src="${escapeHtml(attachment.url)}" alt="${escapeHtml(attachment.alt ?? '')}">`;
    const text = attachment.caption
      ? `<figcaption>${escapeHtml(attachment.caption)}</figcaption>`
      : '';
    return `<figure>${img}${text}</figure>`;
  });
  return `<div class="gallery">${figures.join('')}</div>`;
}

/** [video src=…] / [audio mp3=…] / [audio https://…]: a link to the file the player played. */
function player(kind: string, { attributes, content, context }: ShortcodeCall): string {
  const keys = ['src', '0', 'mp4', 'm4v', 'webm', 'ogv', 'wmv', 'flv', 'mp3', 'ogg', 'm4a', 'wav'];
  const key = keys.find(name => attributes[name]);
  const fromContent = /https?:\/\/[^\s<>"\]]+/.exec(content ?? '')?.[0];
  return linkOrNote(kind, key ? attributes[key] : (fromContent ?? ''), context);
}

/** Jetpack's [youtube URL], [youtube=URL] and [youtube]URL[/youtube]. */
function jetpackUrl(attributes: ShortcodeAttributes, content: string | null): string {
  const value = attributes['0'] ?? content ?? '';
  return value.replace(/^=/, '').trim();
}

function linkOrNote(kind: string, url: string, context: ShortcodeContext): string {
  if (isWebUrl(url)) return mediaLink(url);
  context.notes.push({ message: `[${kind}] without a web URL dropped` });
  return '';
}

/**
 * Anything else that looks like a shortcode stays as the author's text and is named in the
 * report. A shortcode is only taken for one when it has attributes, a closing tag, the self-closing
 * slash or a line of its own, so "[sic]" or "[simple boat]" inside a sentence are left alone.
 */
function keepUnknown(html: string, notes: ConversionNote[]): string {
  const pattern =
    /\[\[([a-z][\w-]*)([^\]]*)\]\]|\[([a-z][\w-]*)(?![\w-])((?:\s[^\]]*)?)\](?:[^[]*\[\/\3\])?/gi;
  return html.replace(
    pattern,
    (whole: string, escapedName?: string, escapedRest?: string, name?: string, rest?: string) => {
      if (escapedName !== undefined) return literal(`[${escapedName}${escapedRest ?? ''}]`);
      const shortcodeLike =
        /=/.test(rest ?? '') ||
        /\[\//.test(whole) ||
        /\/$/.test(rest ?? '') ||
        standsAlone(html, whole);
      const message = `unknown shortcode [${name}] kept as text`;
      if (shortcodeLike && !notes.some(note => note.message === message)) notes.push({ message });
      return whole;
    },
  );
}

function standsAlone(html: string, shortcode: string): boolean {
  const escaped = shortcode.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|\\n|<p>|<br />)\\s*${escaped}\\s*(?:$|\\n|</p>|<br />)`).test(html);
}
