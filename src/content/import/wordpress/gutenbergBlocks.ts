import { type ConversionNote } from '../htmlToMarkdown';
import { escapeHtml, isWebUrl, mediaLink } from './htmlText';

/** A block of the post: its name ("core/image", "core-embed/youtube"), its comment's JSON, its content. */
interface Block {
  kind: 'block';
  name: string;
  attributes: Record<string, unknown>;
  children: Node[];
}
type Node = Block | { kind: 'html'; html: string };

// WordPress' block delimiter (WP_Block_Parser): <!-- wp:name {json} -->, <!-- /wp:name -->, <!-- wp:name /-->.
const DELIMITER =
  /<!--\s+(\/)?wp:([a-z][a-z0-9_-]*\/)?([a-z][a-z0-9_-]*)\s+(\{[^]*?\}\s+)?(\/)?-->/g;

/** Does the content carry block markup? Then WordPress drew it without wpautop. */
export function hasBlocks(content: string): boolean {
  return content.includes('<!-- wp:');
}

/**
 * The post's Gutenberg markup as plain HTML: the block comments go, each block's saved HTML
 * stays; blocks WordPress drew at view time (latest posts, archives, query loops) are named in
 * the notes instead, embeds become links, a cover keeps its image.
 */
export function renderBlocks(content: string, notes: ConversionNote[]): string {
  return parseBlocks(content)
    .map(node => renderNode(node, notes))
    .join('');
}

// Real posts nest blocks a handful deep (columns in a group in a cover); a broken export may not.
const MAX_DEPTH = 64;

function parseBlocks(content: string): Node[] {
  const root: Block = { kind: 'block', name: '', attributes: {}, children: [] };
  const stack: Block[] = [root];
  let last = 0;
  for (const m of content.matchAll(DELIMITER)) {
    const [whole, closer, namespace, name, json, isVoid] = m;
    const top = stack[stack.length - 1];
    if (m.index > last) top.children.push({ kind: 'html', html: content.slice(last, m.index) });
    last = m.index + whole.length;
    const fullName = `${namespace ? namespace.slice(0, -1) : 'core'}/${name}`;
    if (closer) {
      // A closer of an open block ends it (and any unclosed ones inside); a stray one is ignored.
      const at = stack.map(block => block.name).lastIndexOf(fullName);
      if (at > 0) stack.length = at;
      continue;
    }
    // Past a sane depth an opener is only a comment: its content stays in the block around it.
    if (!isVoid && stack.length > MAX_DEPTH) continue;
    const block: Block = {
      kind: 'block',
      name: fullName,
      attributes: parseJson(json),
      children: [],
    };
    top.children.push(block);
    if (!isVoid) stack.push(block);
  }
  if (last < content.length)
    stack[stack.length - 1].children.push({ kind: 'html', html: content.slice(last) });
  return root.children;
}

function parseJson(json: string | undefined): Record<string, unknown> {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

// Blocks whose saved markup is a template for content drawn at view time, not the post's text.
const TEMPLATE_BLOCKS = new Set([
  'core/query',
  'core/post-template',
  'core/query-no-results',
  'core/query-pagination',
  'core/comments',
  'core/comment-template',
  'core/comments-pagination',
  'core/navigation',
]);

const DRAWN_AT_VIEW_TIME = 'WordPress drew it when the page was shown';

// Blocks that are empty when void: nothing is lost.
const EMPTY_BLOCKS = new Set([
  'core/shortcode',
  'core/html',
  'core/paragraph',
  'core/spacer',
  'core/separator',
]);

function renderNode(node: Node, notes: ConversionNote[]): string {
  if (node.kind === 'html') return node.html;
  const inner = (): string => node.children.map(child => renderNode(child, notes)).join('');
  const shortName = node.name.replace(/^core\//, '');
  const url = typeof node.attributes.url === 'string' ? node.attributes.url : '';

  if (node.name === 'core/embed' || node.name.startsWith('core-embed/'))
    return embed(node, url, inner(), notes);
  if (node.name === 'core/more') return '';
  if (node.name === 'core/nextpage') return '<hr>';
  if (node.name === 'core/cover') return cover(node, url, inner());
  if (node.name === 'core/block') {
    notes.push({
      message: `reusable block ${String(node.attributes.ref)} not inlined (wp_block posts are not imported)`,
    });
    return '';
  }
  if (node.name === 'core/rss' && typeof node.attributes.feedURL === 'string') {
    return linkParagraph(node.attributes.feedURL, 'RSS feed');
  }
  const dropped = (why: string): string => {
    notes.push({ message: `block wp:${shortName} dropped: ${why}` });
    return '';
  };
  if (TEMPLATE_BLOCKS.has(node.name)) return dropped(DRAWN_AT_VIEW_TIME);
  if (node.children.length === 0) {
    // A void block has no saved HTML: a link when it points somewhere, else WordPress drew it.
    if (isWebUrl(url)) return linkParagraph(url, labelOf(node) ?? url);
    if (typeof node.attributes.url === 'string') return dropped('its link is not a web address');
    return EMPTY_BLOCKS.has(node.name) ? '' : dropped(DRAWN_AT_VIEW_TIME);
  }
  return inner();
}

/** An embed (oEmbed) block: the link to what it embedded, with its caption. */
function embed(node: Block, url: string, html: string, notes: ConversionNote[]): string {
  const target = url || (/https?:\/\/[^\s<>"]+/.exec(html)?.[0] ?? '');
  if (!isWebUrl(target)) return html;
  const provider = node.name.startsWith('core-embed/')
    ? node.name.slice('core-embed/'.length)
    : String(node.attributes.providerNameSlug ?? '') || 'embed';
  notes.push({ message: `${provider} embed kept as a link: ${target}` });
  const caption = /<figcaption[^>]*>([^]*?)<\/figcaption>/i.exec(html)?.[1] ?? '';
  return `<figure>${mediaLink(target)}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`;
}

/** A cover block: its background image first (saved only as CSS before WordPress 5.7), then its text. */
function cover(node: Block, url: string, html: string): string {
  if (!isWebUrl(url) || /<(?:img|video)\b/i.test(html)) return html;
  if (node.attributes.backgroundType === 'video') return mediaLink(url) + html;
  const alt = typeof node.attributes.alt === 'string' ? node.attributes.alt : '';
  return `<p><img src="${escapeHtml(url)}" alt="${escapeHtml(alt)}"></p>${html}`;
}

function labelOf(node: Block): string | null {
  for (const key of ['label', 'title', 'service']) {
    const value = node.attributes[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return null;
}

function linkParagraph(url: string, label: string): string {
  return `<p><a href="${escapeHtml(url)}">${escapeHtml(label)}</a></p>`;
}
