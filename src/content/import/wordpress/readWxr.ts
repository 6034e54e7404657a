import fs from 'node:fs';
import { SaxesParser, type SaxesTagPlain } from 'saxes';

/** A `<category>` of an item: a category, a tag (post_tag), a post format or another taxonomy. */
export interface WxrItemTerm {
  domain: string;
  nicename: string;
  name: string;
}

/** One `<item>` of the export as it stands: its child elements' texts, terms, meta and comments. */
export interface WxrItem {
  /** The 1-based line of its `<item>` tag. */
  line: number;
  /** Child element -> text ("title", "link", "wp:post_id", "content:encoded", ...); the first wins. */
  fields: Map<string, string>;
  terms: WxrItemTerm[];
  /** wp:postmeta key -> its values in the file's order (_wp_old_slug may come more than once). */
  meta: Map<string, string[]>;
  /** How many wp:comment entries it has (not kept: comments are not imported). */
  comments: number;
}

/** A `wp:author` entry of the channel. */
export interface WxrAuthor {
  login: string;
  displayName: string;
}

/** A `wp:category`, `wp:tag` or (WXR 1.2) `wp:term` entry of the channel. */
export interface WxrTerm {
  taxonomy: string;
  slug: string;
  name: string;
  description: string | null;
}

/** What the reader meets, in the file's order. */
export type WxrNode =
  | { type: 'channel'; field: string; value: string }
  | { type: 'author'; author: WxrAuthor }
  | { type: 'term'; term: WxrTerm }
  | { type: 'item'; item: WxrItem };

/** The channel's own fields kept: the site, its language, the export's version. */
const CHANNEL_FIELDS = new Set([
  'title',
  'link',
  'language',
  'wp:wxr_version',
  'wp:base_site_url',
  'wp:base_blog_url',
]);

/** A parse error with the line it was met on. */
export class WxrSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Collects the text of the element being read (text and CDATA alike). */
interface Open {
  name: string;
  text: string;
  attributes: Record<string, string>;
}

function termOfChannelEntry(name: string, fields: Map<string, string>): WxrTerm | null {
  const get = (key: string) => fields.get(key)?.trim() ?? '';
  if (name === 'wp:category') {
    const description = get('wp:category_description');
    return {
      taxonomy: 'category',
      slug: get('wp:category_nicename'),
      name: get('wp:cat_name'),
      description: description || null,
    };
  }
  if (name === 'wp:tag') {
    const description = get('wp:tag_description');
    return {
      taxonomy: 'post_tag',
      slug: get('wp:tag_slug'),
      name: get('wp:tag_name'),
      description: description || null,
    };
  }
  const description = get('wp:term_description');
  return {
    taxonomy: get('wp:term_taxonomy'),
    slug: get('wp:term_slug'),
    name: get('wp:term_name'),
    description: description || null,
  };
}

/**
 * Reads a WordPress export (WXR 1.1 or 1.2) as a stream and yields what it meets one at a time:
 * the channel's fields, each wp:author and term entry, and each item with the line it starts on.
 * Only the item being read is in memory (a chunk of the file and that item's texts), so a 500 MB
 * export is read in bounded memory; the caller reads the file again for a second pass. The
 * names are WordPress' prefixed ones (wp:, content:, excerpt:, dc:), as every exporter writes
 * them since WordPress 2.1, so namespaces are not resolved.
 */
export async function* readWxr(file: string): AsyncGenerator<WxrNode> {
  const parser = new SaxesParser<{ xmlns: false; position: true }>({
    xmlns: false,
    position: true,
  });
  const ready: WxrNode[] = [];
  const stack: Open[] = [];
  // The entry being read: an item, or a channel entry (wp:author, wp:category, wp:tag, wp:term).
  let item: WxrItem | null = null;
  let entry: { name: string; fields: Map<string, string> } | null = null;
  let meta: { key: string; value: string } | null = null;
  let failure: WxrSyntaxError | null = null;

  // What was just closed waits for the next event: saxes closes an element left open (an item
  // cut off) before it reports the error, and such an item is not one to import.
  let justClosed: WxrNode | null = null;
  const settle = () => {
    if (justClosed) ready.push(justClosed);
    justClosed = null;
  };
  const emit = (node: WxrNode) => {
    settle();
    justClosed = node;
  };
  // Items completed before the first error are still read; nothing after it is trusted.
  let readyAtFailure = 0;
  parser.on('error', error => {
    if (failure) return;
    justClosed = null;
    failure = new WxrSyntaxError(error.message, parser.line);
    readyAtFailure = ready.length;
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    settle();
    const parent = stack[stack.length - 1]?.name;
    stack.push({ name: tag.name, text: '', attributes: tag.attributes });
    if (tag.name === 'item' && parent === 'channel') {
      item = { line: parser.line, fields: new Map(), terms: [], meta: new Map(), comments: 0 };
    } else if (item && tag.name === 'wp:comment' && parent === 'item') {
      item.comments += 1;
    } else if (item && tag.name === 'wp:postmeta') {
      meta = { key: '', value: '' };
    } else if (
      parent === 'channel' &&
      (tag.name === 'wp:author' ||
        tag.name === 'wp:category' ||
        tag.name === 'wp:tag' ||
        tag.name === 'wp:term')
    ) {
      entry = { name: tag.name, fields: new Map() };
    }
  });
  const addText = (text: string) => {
    settle();
    const open = stack[stack.length - 1];
    // Only leaf texts are kept: the whitespace between elements is not.
    if (open && (item || entry || stack.length === 3)) open.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', (tag: SaxesTagPlain) => {
    settle();
    const open = stack.pop() as Open;
    const parent = stack[stack.length - 1]?.name;
    if (item) {
      if (tag.name === 'item' && parent === 'channel') {
        emit({ type: 'item', item });
        item = null;
      } else if (meta && tag.name === 'wp:meta_key') {
        meta.key = open.text.trim();
      } else if (meta && tag.name === 'wp:meta_value') {
        meta.value = open.text;
      } else if (meta && tag.name === 'wp:postmeta') {
        if (meta.key) item.meta.set(meta.key, [...(item.meta.get(meta.key) ?? []), meta.value]);
        meta = null;
      } else if (parent === 'item' && tag.name === 'category') {
        item.terms.push({
          domain: open.attributes.domain ?? 'category',
          nicename: open.attributes.nicename ?? '',
          name: open.text.trim(),
        });
      } else if (parent === 'item' && !item.fields.has(tag.name)) {
        item.fields.set(tag.name, open.text);
      }
      return;
    }
    if (entry) {
      if (tag.name === entry.name && parent === 'channel') {
        const fields = entry.fields;
        if (entry.name === 'wp:author') {
          const login = fields.get('wp:author_login')?.trim() ?? '';
          const displayName = fields.get('wp:author_display_name')?.trim() ?? '';
          if (login) emit({ type: 'author', author: { login, displayName } });
        } else {
          const term = termOfChannelEntry(entry.name, fields);
          if (term?.slug) emit({ type: 'term', term });
        }
        entry = null;
      } else if (parent === entry.name) {
        entry.fields.set(tag.name, open.text);
      }
      return;
    }
    if (parent === 'channel' && CHANNEL_FIELDS.has(tag.name)) {
      emit({ type: 'channel', field: tag.name, value: open.text.trim() });
    }
  });

  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream) {
      parser.write(chunk as string);
      if (failure) break;
      // What this chunk completed goes out before the next chunk is read.
      while (ready.length) yield ready.shift() as WxrNode;
    }
    if (!failure) parser.close();
    if (!failure) settle();
    if (failure) {
      yield* ready.slice(0, readyAtFailure);
      throw failure;
    }
    while (ready.length) yield ready.shift() as WxrNode;
  } finally {
    stream.destroy();
  }
}
