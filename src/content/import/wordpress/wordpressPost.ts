import { plainText } from './plainText';
import type { WxrItem } from './readWxr';
import { firstMeta, resolveSeoTemplate } from './seoFields';
import { wordpressBodyToMarkdown } from './wordpressBody';
import { hostOf, slugFromWordpress, tagOfItemTerm, type WordpressSite } from './wordpressSite';
import { ArticleStatus } from '../../../entities/enums';
import { madeSlug, maxTags } from '../../editorial/articleRules';
import { cutAtWord } from '../../markdown';
import type { SourceItem } from '../source/importSourcePosts';
import type { SourceAuthor, SourcePost, SourceTag } from '../source/sourcePost';

/** What the command adds to what the export says. */
export interface WordpressPostOptions {
  /** The articles' locale (BCP 47), from the export's <language> or --locale. */
  locale: string;
}

/** Why each kind of item that is not a post is not imported. */
const SKIPPED_TYPES: Record<string, string> = {
  page: 'pages are not articles: the gateway imports posts only',
  attachment: 'a media item: its URL stays where a post shows it (the featured image, the body)',
  nav_menu_item: "a menu entry: menus are the front end's",
  wp_block: 'a reusable block (pattern): the posts that use it carry its content',
  revision: "an earlier revision: the post's current version is imported",
  wp_navigation: "a navigation menu: menus are the front end's",
  wp_template: "a block theme template: templates are the front end's",
  wp_template_part: "a block theme template part: templates are the front end's",
  wp_global_styles: "the block theme's global styles",
  custom_css: "the theme's custom CSS",
  customize_changeset: 'a Customizer changeset',
  oembed_cache: 'an embed cache entry',
  user_request: 'a personal-data request',
};

/** Statuses of a post that is not imported at all. */
const SKIPPED_STATUSES: Record<string, string> = {
  trash: 'in the trash on the old site',
  'auto-draft': 'an automatic draft WordPress made, never edited',
  inherit: 'a revision or attachment status on a post',
};

const ZERO_DATE = '0000-00-00 00:00:00';

/** "2013-01-05 17:00:49" (GMT) -> that instant; null for WordPress' zero date or what is not one. */
export function gmtDate(text: string | undefined): Date | null {
  const value = text?.trim();
  if (!value || value === ZERO_DATE) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!match) return null;
  const date = new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The export's <language> as the gateway's locale: en_US and en-us -> en-US; null where it is
 * none the locale rule takes.
 */
export function localeOfLanguage(language: string | null): string | null {
  if (!language) return null;
  const [first, ...rest] = language.trim().replace(/_/g, '-').split('-');
  const locale = [
    first.toLowerCase(),
    ...rest.map(part => (part.length === 2 ? part.toUpperCase() : part)),
  ].join('-');
  return /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale) ? locale : null;
}

function field(item: WxrItem, name: string): string {
  return item.fields.get(name)?.trim() ?? '';
}

function lastMeta(item: WxrItem, key: string): string | undefined {
  const values = item.meta.get(key);
  return values?.[values.length - 1];
}

interface Status {
  status: ArticleStatus;
  /** Published (or scheduled): it has a date and its permalink was its public URL. */
  public: boolean;
  warning: string | null;
}

/**
 * WordPress' post statuses: publish -> PUBLISHED; future -> PUBLISHED with its future date (the
 * gateway's scheduled publication, as publishArticle(at:) stores it); draft and pending ->
 * DRAFT; private and password-protected -> DRAFT as well (the gateway has no private or
 * password-protected articles, and they were not public), with a warning.
 */
function statusOf(item: WxrItem): Status {
  const status = field(item, 'wp:status');
  const password = field(item, 'wp:post_password');
  if (status === 'private') {
    return {
      status: ArticleStatus.DRAFT,
      public: false,
      warning: 'private on the old site: imported as a draft (the gateway has no private articles)',
    };
  }
  if ((status === 'publish' || status === 'future') && password) {
    return {
      status: ArticleStatus.DRAFT,
      public: false,
      warning:
        'password-protected on the old site: imported as a draft (the gateway has no password-protected articles)',
    };
  }
  if (status === 'publish' || status === 'future') {
    return { status: ArticleStatus.PUBLISHED, public: true, warning: null };
  }
  return { status: ArticleStatus.DRAFT, public: false, warning: null };
}

/** The post's author from dc:creator: its wp:author entry, matched by login or by slug. */
function authorOf(item: WxrItem, site: WordpressSite, warnings: string[]): SourceAuthor[] {
  const creator = plainText(field(item, 'dc:creator'));
  if (!creator) return [];
  let author = site.authors.get(creator);
  const creatorSlug = madeSlug(creator);
  if (!author && creatorSlug) {
    author = [...site.authors.values()].find(entry => madeSlug(entry.login) === creatorSlug);
  }
  if (!author) warnings.push(`author ${creator} has no wp:author entry: named by its login`);
  const login = author?.login ?? creator;
  const name = (author?.displayName && plainText(author.displayName)) || login;
  const slug = madeSlug(login) ?? madeSlug(name);
  if (!slug) {
    warnings.push(`author ${creator}: no slug can be made of the login or name, left out`);
    return [];
  }
  return [{ slug, name, bio: null, avatarUrl: null }];
}

/** Categories (in the item's order, the first the primary tag), then tags; one per slug. */
function tagsOf(item: WxrItem, site: WordpressSite, warnings: string[]): SourceTag[] {
  const tags = new Map<string, SourceTag>();
  for (const taxonomy of ['category', 'post_tag'] as const) {
    for (const term of item.terms.filter(entry => entry.domain === taxonomy)) {
      const tag = tagOfItemTerm(site, taxonomy, term.nicename, term.name);
      if (!tag) warnings.push(`${taxonomy} ${term.nicename || term.name}: no slug, left out`);
      else if (!tags.has(tag.slug)) tags.set(tag.slug, tag);
    }
  }
  const all = [...tags.values()];
  if (all.length > maxTags) {
    const dropped = all.slice(maxTags).map(tag => tag.slug);
    warnings.push(
      `${all.length} categories and tags, the gateway keeps ${maxTags}: left out ${dropped.join(', ')}`,
    );
  }
  return all.slice(0, maxTags);
}

/** The post's paths on the old site besides its permalink: /?p=id, a ?p= guid, old slugs. */
function oldPathsOf(item: WxrItem, site: WordpressSite, id: string, url: string | null): string[] {
  const paths = [`/?p=${id}`];
  const guid = field(item, 'guid');
  // A guid of another site (content moved in from elsewhere) never was a path of this one.
  if (/[?&]p=\d+/.test(guid) && hostOf(guid) === site.host) paths.push(guid);
  const permalink = url && URL.canParse(url) ? new URL(url) : null;
  if (permalink) {
    for (const oldSlug of item.meta.get('_wp_old_slug') ?? []) {
      const slug = oldSlug.trim();
      const segments = permalink.pathname.replace(/\/$/, '').split('/');
      if (!slug || segments.length < 2 || permalink.search) continue;
      segments[segments.length - 1] = slug;
      paths.push(segments.join('/'));
    }
  }
  return paths;
}

/** The featured image (_thumbnail_id) from the export's attachments. */
function imageOf(item: WxrItem, site: WordpressSite, warnings: string[]) {
  const id = lastMeta(item, '_thumbnail_id')?.trim();
  const none = {
    imageUrl: null,
    imageAlt: null,
    imageCaption: null,
    imageWidth: null,
    imageHeight: null,
  };
  if (!id) return none;
  const attachment = site.attachments.get(id);
  if (!attachment) {
    warnings.push(`featured image ${id} is not in the export: left out`);
    return none;
  }
  return {
    imageUrl: attachment.url,
    imageAlt: attachment.alt && cutAtWord(attachment.alt, 999),
    imageCaption: attachment.caption && cutAtWord(attachment.caption, 999),
    imageWidth: attachment.width,
    imageHeight: attachment.height,
  };
}

function publishedAtOf(item: WxrItem, status: Status, warnings: string[]): Date | null {
  if (!status.public) return null;
  const gmt = gmtDate(item.fields.get('wp:post_date_gmt'));
  if (gmt) return gmt;
  // Some exporters leave the GMT date zero: the local date is the best there is.
  const local = gmtDate(item.fields.get('wp:post_date'));
  if (local) warnings.push('no wp:post_date_gmt: the local wp:post_date taken as UTC');
  return local;
}

/** A post of the export as the gateway's SourcePost. */
function postOf(item: WxrItem, site: WordpressSite, options: WordpressPostOptions): SourcePost {
  const id = field(item, 'wp:post_id');
  const warnings: string[] = [];
  const status = statusOf(item);
  if (status.warning) warnings.push(status.warning);
  let title = plainText(item.fields.get('title') ?? '');
  if (!title) {
    title = '(no title)';
    warnings.push('no title on the old site: titled "(no title)"');
  }
  const storedSlug = field(item, 'wp:post_name');
  const slug = slugFromWordpress(storedSlug, title) ?? `post-${id}`;
  if (storedSlug && slug !== storedSlug && slug !== decodeSafely(storedSlug)) {
    warnings.push(`slug ${decodeSafely(storedSlug)} is not a gateway slug: imported as ${slug}`);
  }
  const { markdown, notes } = wordpressBodyToMarkdown(
    item.fields.get('content:encoded') ?? '',
    site.attachments,
  );
  warnings.push(...notes.map(note => note.message));
  const excerptText = plainText(item.fields.get('excerpt:encoded') ?? '');
  const excerpt = excerptText ? cutAtWord(excerptText, 999) : null;
  const tags = tagsOf(item, site, warnings);
  const seo = { title, siteName: site.title, excerpt, primaryCategory: tags[0]?.name ?? null };
  const seoTitle = firstMeta(item.meta, ['_yoast_wpseo_title', 'rank_math_title']);
  const seoDescription = firstMeta(item.meta, ['_yoast_wpseo_metadesc', 'rank_math_description']);
  const canonical = firstMeta(item.meta, ['_yoast_wpseo_canonical', 'rank_math_canonical_url']);
  const link = field(item, 'link');
  // A draft's or pending post's link is its ?p= preview; the others had their permalink.
  const url = ['publish', 'future', 'private'].includes(field(item, 'wp:status'))
    ? link || null
    : null;
  return {
    source: 'wordpress',
    site: site.host,
    sourceId: id,
    line: item.line,
    url,
    oldPaths: oldPathsOf(item, site, id, url),
    values: {
      title: title.length <= 500 ? title : cutAtWord(title, 499),
      slug,
      locale: options.locale,
      status: status.status,
      featured: field(item, 'wp:is_sticky') === '1',
      publishedAt: publishedAtOf(item, status, warnings),
      body: markdown,
      excerpt,
      ...imageOf(item, site, warnings),
      seoTitle: seoTitle && resolveSeoTemplate(seoTitle, seo, 500),
      seoDescription: seoDescription && resolveSeoTemplate(seoDescription, seo, 1000),
      canonicalUrl: canonical && /^https?:\/\//.test(canonical) ? canonical : null,
      translationKey: null,
    },
    // A stable date on every run (a draft has no GMT date; "now" would update it each time).
    updatedAt:
      gmtDate(item.fields.get('wp:post_modified_gmt')) ??
      gmtDate(item.fields.get('wp:post_date_gmt')) ??
      gmtDate(item.fields.get('wp:post_modified')) ??
      gmtDate(item.fields.get('wp:post_date')),
    authors: authorOf(item, site, warnings),
    tags,
    warnings,
  };
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * What one item of the export becomes: a post (type "post" in a status other than trash or
 * auto-draft) is a SourcePost; every other item is a SkippedItem saying what it is and why; an
 * item's comments are one more SkippedItem (kind "comment", with their count).
 */
export function wordpressItem(
  item: WxrItem,
  site: WordpressSite,
  options: WordpressPostOptions,
): SourceItem[] {
  const id = field(item, 'wp:post_id') || null;
  const type = field(item, 'wp:post_type') || 'post';
  const status = field(item, 'wp:status');
  const skip = (kind: string, reason: string, count?: number): SourceItem => ({
    skipped: { kind, sourceId: id, line: item.line, reason, ...(count ? { count } : {}) },
  });
  const result: SourceItem[] = [];
  if (!id) result.push(skip(type, 'no wp:post_id'));
  else if (type !== 'post') {
    result.push(skip(type, SKIPPED_TYPES[type] ?? `custom post type ${type}: not imported`));
  } else if (SKIPPED_STATUSES[status]) result.push(skip(type, SKIPPED_STATUSES[status]));
  else result.push({ post: postOf(item, site, options) });
  if (item.comments) {
    const noun = item.comments === 1 ? 'comment' : 'comments';
    result.push(
      skip(
        'comment',
        `${item.comments} ${noun} of ${type} ${id}: comments are not imported`,
        item.comments,
      ),
    );
  }
  return result;
}
