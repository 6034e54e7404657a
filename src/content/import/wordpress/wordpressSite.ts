import { plainText } from './plainText';
import { readWxr, type WxrAuthor, type WxrItem } from './readWxr';
import type { Attachment } from './wordpressBody';
import { madeSlug, slugRule } from '../../editorial/articleRules';
import type { SourceTag } from '../source/sourcePost';

/**
 * What the first pass over an export learns, which items may need before it is their turn
 * (WordPress writes attachments and, in some exporters, authors after the posts that use them):
 * the site, its authors, its categories and tags with their descriptions, its attachments.
 */
export interface WordpressSite {
  /** The old site's host ("example.org", without www.): with the post id, a post's key. */
  host: string;
  /** The channel's link (the blog's URL), for old paths and the guids of this site. */
  blogUrl: string | null;
  title: string;
  /** The channel's <language> as written ("en-US", "de-DE"); null where none. */
  language: string | null;
  wxrVersion: string | null;
  /** Author login -> author. */
  authors: Map<string, WxrAuthor>;
  /**
   * "category:slug" and "post_tag:slug" -> the term as the gateway's tag. A category and a tag
   * of one slug are one gateway tag: the first entry (the categories come first) names it.
   */
  tags: Map<string, SourceTag>;
  /** The gateway's tag slug -> the tag. */
  tagsBySlug: Map<string, SourceTag>;
  /** Attachment post id -> its URL, alt text, caption and size. */
  attachments: Map<string, Attachment>;
  /** Items in the export: the progress' total. */
  items: number;
}

/** The host of a URL, lower-cased and without a leading www.; null for what is not a URL. */
export function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url.trim()).hostname.toLowerCase().replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}

/** A WordPress slug (URL-encoded as WordPress stores non-ASCII ones) under the gateway's rule. */
export function slugFromWordpress(stored: string, fallbackText: string): string | null {
  let decoded = stored.trim();
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // A stray % stays as it is; madeSlug drops it.
  }
  if (slugRule.safeParse(decoded).success) return decoded;
  return madeSlug(decoded) ?? madeSlug(fallbackText);
}

/**
 * The width and height of an attachment's _wp_attachment_metadata, a PHP-serialized array:
 * a:5:{s:5:"width";i:1200;s:6:"height";i:800;...;s:5:"sizes";a:...}. Only the top level is read
 * (the keys before "sizes", whose entries have widths of their own).
 */
export function attachmentSize(serialized: string | undefined): {
  width: number | null;
  height: number | null;
} {
  if (!serialized) return { width: null, height: null };
  const sizes = serialized.indexOf('s:5:"sizes"');
  const top = sizes >= 0 ? serialized.slice(0, sizes) : serialized;
  const read = (key: string) => {
    const match = new RegExp(`s:${key.length}:"${key}";(?:i:(\\d+)|s:\\d+:"(\\d+)")`).exec(top);
    const value = match ? Number(match[1] ?? match[2]) : NaN;
    return Number.isInteger(value) && value > 0 ? value : null;
  };
  return { width: read('width'), height: read('height') };
}

function lastMeta(item: WxrItem, key: string): string | undefined {
  const values = item.meta.get(key);
  return values?.[values.length - 1];
}

function attachmentOf(item: WxrItem): Attachment | null {
  const url = (item.fields.get('wp:attachment_url') ?? item.fields.get('guid') ?? '').trim();
  if (!url) return null;
  const alt = plainText(lastMeta(item, '_wp_attachment_image_alt') ?? '');
  const caption = plainText(item.fields.get('excerpt:encoded') ?? '');
  return {
    url,
    alt: alt || null,
    caption: caption || null,
    ...attachmentSize(lastMeta(item, '_wp_attachment_metadata')),
  };
}

/** The gateway's tag of a WordPress term; null where no slug can be made of it. */
function tagOf(slug: string, name: string, description: string | null): SourceTag | null {
  const tagName = plainText(name) || slug;
  const tagSlug = slugFromWordpress(slug, tagName);
  if (!tagSlug) return null;
  const text = description ? plainText(description) : '';
  return { slug: tagSlug, name: tagName, description: text || null };
}

/** The first pass: reads the export once for what the items refer to. */
export async function readWordpressSite(file: string): Promise<WordpressSite> {
  const channel = new Map<string, string>();
  const site: Omit<WordpressSite, 'host' | 'blogUrl' | 'title' | 'language' | 'wxrVersion'> = {
    authors: new Map(),
    tags: new Map(),
    tagsBySlug: new Map(),
    attachments: new Map(),
    items: 0,
  };
  for await (const node of readWxr(file)) {
    if (node.type === 'channel') {
      if (!channel.has(node.field)) channel.set(node.field, node.value);
    } else if (node.type === 'author') {
      site.authors.set(node.author.login, node.author);
    } else if (node.type === 'term') {
      const { taxonomy, slug, name, description } = node.term;
      if (taxonomy !== 'category' && taxonomy !== 'post_tag') continue;
      const tag = tagOf(slug, name, description);
      if (!tag) continue;
      const named = site.tagsBySlug.get(tag.slug) ?? tag;
      site.tagsBySlug.set(tag.slug, named);
      site.tags.set(`${taxonomy}:${slug}`, named);
    } else {
      site.items += 1;
      const { item } = node;
      if (item.fields.get('wp:post_type')?.trim() !== 'attachment') continue;
      const attachment = attachmentOf(item);
      const id = item.fields.get('wp:post_id')?.trim();
      if (id && attachment) site.attachments.set(id, attachment);
    }
  }
  const blogUrl = channel.get('wp:base_blog_url') || channel.get('link') || null;
  const host = hostOf(blogUrl) ?? hostOf(channel.get('wp:base_site_url'));
  if (!host) {
    throw new Error(
      `${file} is not a WordPress export (WXR): no <wp:base_blog_url> or <link> names its site`,
    );
  }
  return {
    ...site,
    host,
    blogUrl,
    title: plainText(channel.get('title') ?? ''),
    language: channel.get('language') || null,
    wxrVersion: channel.get('wp:wxr_version') || null,
  };
}

/**
 * The gateway's tag of an item's <category>: the channel's entry of that term where there is
 * one (so a term has one name and description however each item writes it), else the item's.
 */
export function tagOfItemTerm(
  site: WordpressSite,
  taxonomy: 'category' | 'post_tag',
  nicename: string,
  name: string,
): SourceTag | null {
  const known = site.tags.get(`${taxonomy}:${nicename}`);
  if (known) return known;
  const tag = tagOf(nicename, name, null);
  if (!tag) return null;
  // Not in the channel's list: the first item that names it names it for the rest of the run.
  if (!site.tagsBySlug.has(tag.slug)) site.tagsBySlug.set(tag.slug, tag);
  return site.tagsBySlug.get(tag.slug) ?? tag;
}
