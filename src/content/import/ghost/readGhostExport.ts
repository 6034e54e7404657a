import fs from 'node:fs';
import sanitizeHtml from 'sanitize-html';
import { type GhostExport, GhostExportError, type GhostRow, parseGhostExport } from './ghostExport';
import { ghostHtmlToMarkdown } from './ghostHtmlToMarkdown';
import { renderLexical } from './renderLexical';
import { renderMobiledoc } from './renderMobiledoc';
import { ArticleStatus } from '../../../entities/enums';
import { articleRules } from '../../editorial/articleRules';
import type { ConversionNote } from '../htmlToMarkdown';
import { parseInstant } from '../parseInstant';
import type { SourceItem } from '../source/importSourcePosts';
import type { SourceAuthor, SourcePost, SourceTag } from '../source/sourcePost';

export interface GhostImportOptions {
  /**
   * --site-url: the Ghost site's address ("https://blog.example.org"). A Ghost export does not
   * carry it: with it, each post's old URL is <site-url>/<slug>/ (Ghost's default permalink) and
   * Ghost's __GHOST_URL__ placeholders become absolute URLs; without it the site is named
   * "ghost", old paths are /<slug>/ and the placeholders become site-relative paths.
   */
  siteUrl?: string | null;
  /**
   * --members-posts: "draft" (the default) imports a members-only or paid post as a draft, so
   * nothing paid becomes public; "public" publishes it as Ghost's status says. Both warn.
   */
  membersPosts?: 'draft' | 'public';
  /** The language of posts where neither the post nor the export's settings name one. */
  locale?: string;
}

/** The site a post's source key names: the site URL's host, or "ghost" without one. */
export const defaultGhostSite = 'ghost';

interface Context {
  ghost: GhostExport;
  siteUrl: string | null;
  site: string;
  membersPosts: 'draft' | 'public';
  locale: string;
  users: Map<string, GhostRow>;
  tags: Map<string, GhostRow>;
  meta: Map<string, GhostRow>;
  postTags: Map<string, GhostRow[]>;
  postAuthors: Map<string, GhostRow[]>;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

const idOf = (value: unknown): string => String(value);

/** Ghost's dates: ISO strings, "2025-06-30 15:31:36" (UTC, SQLite's form) or epoch ms (Ghost 0.x, 1.x). */
function dateOf(value: unknown): Date | null {
  if (typeof value === 'number') return new Date(value);
  if (typeof value !== 'string' || value.trim() === '') return null;
  const parsed = parseInstant(value);
  return parsed.ok ? parsed.value : null;
}

/** Rows grouped by a key, each group in Ghost's sort_order (the first link is the primary one). */
function groupBy(rows: GhostRow[], key: string): Map<string, GhostRow[]> {
  const groups = new Map<string, GhostRow[]>();
  rows.forEach((row, index) => {
    const group = groups.get(idOf(row[key])) ?? [];
    group.push({ ...row, __index: index });
    groups.set(idOf(row[key]), group);
  });
  for (const group of groups.values()) {
    group.sort(
      (a, b) =>
        Number(a.sort_order ?? 0) - Number(b.sort_order ?? 0) ||
        Number(a.__index) - Number(b.__index),
    );
  }
  return groups;
}

/** Tags Ghost keeps for itself: visibility "internal", their names start with "#". */
function isInternal(tag: GhostRow): boolean {
  return tag.visibility === 'internal' || String(tag.name ?? '').startsWith('#');
}

/** Ghost 4+ writes its own address as __GHOST_URL__ in URLs and HTML, so an export can move. */
function withSiteUrl(value: string, ctx: Context): string {
  return value.split('__GHOST_URL__').join(ctx.siteUrl ?? '');
}

function urlOf(value: unknown, ctx: Context): string | null {
  const url = text(value);
  return url === null ? null : withSiteUrl(url, ctx);
}

/** An HTML caption (Ghost keeps feature_image_caption as HTML) as plain text. */
function plainText(html: string | null): string | null {
  if (html === null) return null;
  const stripped = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return stripped || null;
}

function settingOf(ghost: GhostExport, key: string): string | null {
  const row = ghost.tables.settings.find(setting => setting.key === key);
  return row ? text(row.value) : null;
}

function authorOf(row: GhostRow, ctx: Context): SourceAuthor {
  return {
    slug: String(row.slug),
    name: text(row.name) ?? String(row.slug),
    bio: text(row.bio),
    avatarUrl: urlOf(row.profile_image, ctx),
  };
}

function tagOf(row: GhostRow): SourceTag {
  return {
    slug: String(row.slug),
    name: text(row.name) ?? String(row.slug),
    description: text(row.description),
  };
}

/** The post's authors in order: posts_authors (Ghost 1.22+), else Ghost 2's posts.author_id. */
function authorsOf(post: GhostRow, ctx: Context, warnings: string[]): SourceAuthor[] {
  const links = ctx.postAuthors.get(idOf(post.id));
  const ids = links
    ? links.map(link => idOf(link.author_id))
    : post.author_id != null
      ? [idOf(post.author_id)]
      : [];
  const authors: SourceAuthor[] = [];
  for (const id of ids) {
    const user = ctx.users.get(id);
    if (user) authors.push(authorOf(user, ctx));
    else warnings.push(`author ${id} is not in the export's users: left out`);
  }
  return authors;
}

function tagsOf(post: GhostRow, ctx: Context, warnings: string[]): SourceTag[] {
  const tags: SourceTag[] = [];
  for (const link of ctx.postTags.get(idOf(post.id)) ?? []) {
    const tag = ctx.tags.get(idOf(link.tag_id));
    if (!tag) warnings.push(`tag ${idOf(link.tag_id)} is not in the export's tags: left out`);
    else if (!isInternal(tag)) tags.push(tagOf(tag));
  }
  return tags;
}

/**
 * The post's body as Ghost HTML: its html where the export has it (Ghost writes it for every
 * post), else its lexical (Ghost 5), else its mobiledoc (Ghost 1 to 4), else its plaintext.
 */
function bodyHtmlOf(post: GhostRow): { html: string; notes: ConversionNote[] } {
  const html = text(post.html);
  if (html !== null) return { html, notes: [] };
  const lexical = text(post.lexical);
  if (lexical !== null) return renderLexical(lexical);
  const mobiledoc = text(post.mobiledoc);
  if (mobiledoc !== null) return renderMobiledoc(mobiledoc);
  const plain = text(post.plaintext);
  return {
    html:
      plain === null
        ? ''
        : plain
            .split(/\n\s*\n/)
            .map(p => `<p>${sanitizeHtml(p)}</p>`)
            .join(''),
    notes: [],
  };
}

function bodyOf(post: GhostRow, ctx: Context, warnings: string[]): string {
  let rendered: { html: string; notes: ConversionNote[] };
  try {
    rendered = bodyHtmlOf(post);
  } catch (error) {
    warnings.push(`body not readable (${(error as Error).message}): left empty`);
    return '';
  }
  const placeholder = [rendered.html, post.feature_image].some(
    value => typeof value === 'string' && value.includes('__GHOST_URL__'),
  );
  if (ctx.siteUrl === null && placeholder) {
    warnings.push(
      'links and images to the Ghost site kept as paths: give --site-url to keep them absolute',
    );
  }
  const { markdown, notes } = ghostHtmlToMarkdown(withSiteUrl(rendered.html, ctx));
  warnings.push(...[...rendered.notes, ...notes].map(note => note.message));
  return markdown;
}

/**
 * Ghost's status as the gateway's: published -> PUBLISHED; scheduled -> PUBLISHED with its future
 * published_at (the gateway's schedule makes it public then); draft -> DRAFT; sent (a newsletter
 * that never was on the site) -> DRAFT, warned. A members-only post (visibility members, paid,
 * tiers or a filter) is a DRAFT, warned, unless --members-posts=public.
 */
function statusOf(
  post: GhostRow,
  ctx: Context,
  warnings: string[],
): { status: ArticleStatus; publishedAt: Date | null; wasPublic: boolean } {
  const publishedAt = dateOf(post.published_at);
  let status = ArticleStatus.DRAFT;
  let wasPublic = false;
  if (post.status === 'published') {
    status = ArticleStatus.PUBLISHED;
    wasPublic = true;
  } else if (post.status === 'scheduled' && publishedAt) {
    status = ArticleStatus.PUBLISHED;
  } else if (post.status === 'sent') {
    warnings.push(
      'sent as a newsletter only in Ghost (status sent), never on the site: imported as a draft',
    );
  } else if (post.status !== 'draft') {
    warnings.push(
      `Ghost status ${JSON.stringify(post.status)} is not known here: imported as a draft`,
    );
  }
  const visibility = text(post.visibility) ?? 'public';
  if (visibility !== 'public') {
    if (ctx.membersPosts === 'public') {
      warnings.push(
        `members-only in Ghost (visibility ${visibility}): imported as public (--members-posts=public)`,
      );
    } else {
      warnings.push(
        `members-only in Ghost (visibility ${visibility}): imported as a draft; --members-posts=public publishes it`,
      );
      status = ArticleStatus.DRAFT;
    }
  }
  return {
    status,
    publishedAt: publishedAt ?? (wasPublic ? dateOf(post.created_at) : null),
    wasPublic,
  };
}

function localeOf(post: GhostRow, ctx: Context): string {
  const own = text(post.locale);
  return own && articleRules.locale.safeParse(own).success ? own : ctx.locale;
}

function canonicalOf(post: GhostRow, ctx: Context, warnings: string[]): string | null {
  const url = urlOf(post.canonical_url, ctx);
  if (url === null || /^https?:\/\//i.test(url)) return url;
  warnings.push(`canonical_url ${url} is no absolute URL: left out`);
  return null;
}

function postOf(post: GhostRow, ctx: Context): SourcePost {
  const id = idOf(post.id);
  const warnings: string[] = [];
  // Ghost 3+ keeps SEO and feature image texts in posts_meta; Ghost 2 on the post itself.
  const meta = ctx.meta.get(id) ?? post;
  const { status, publishedAt, wasPublic } = statusOf(post, ctx, warnings);
  const slug = String(post.slug ?? '');
  const values = {
    title: text(post.title) ?? '',
    slug,
    locale: localeOf(post, ctx),
    status,
    featured: Boolean(post.featured),
    publishedAt,
    body: bodyOf(post, ctx, warnings),
    excerpt: text(post.custom_excerpt),
    imageUrl: urlOf(post.feature_image, ctx),
    imageAlt: text(meta.feature_image_alt ?? post.feature_image_alt),
    imageCaption: plainText(text(meta.feature_image_caption ?? post.feature_image_caption)),
    imageWidth: null,
    imageHeight: null,
    seoTitle: text(meta.meta_title),
    seoDescription: text(meta.meta_description),
    canonicalUrl: canonicalOf(post, ctx, warnings),
    translationKey: null,
  };
  return {
    source: 'ghost',
    site: ctx.site,
    sourceId: id,
    line: ctx.ghost.lineOf(id),
    url: wasPublic && ctx.siteUrl ? `${ctx.siteUrl}/${slug}/` : null,
    oldPaths: wasPublic && !ctx.siteUrl ? [`/${slug}/`] : [],
    values,
    updatedAt: dateOf(post.updated_at),
    authors: authorsOf(post, ctx, warnings),
    tags: tagsOf(post, ctx, warnings),
    warnings,
  };
}

/** --site-url checked: an http(s) URL, without its trailing slash. */
function siteUrlOf(value: string | null | undefined): string | null {
  if (value == null || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new GhostExportError(
      `--site-url ${value}: expected an address such as https://blog.example.org`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GhostExportError(`--site-url ${value}: expected an http or https address`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/**
 * A Ghost export's items as importSourcePosts writes them, one at a time (a body is converted
 * when its item is asked for): each post (type post) as a SourcePost keyed by (ghost, site, post
 * id), each page, empty draft and internal tag as a SkippedItem. See README "Moving from Ghost".
 */
function* itemsOf(ghost: GhostExport, options: GhostImportOptions): Generator<SourceItem> {
  const siteUrl = siteUrlOf(options.siteUrl);
  const exportLocale = settingOf(ghost, 'locale') ?? settingOf(ghost, 'default_locale');
  const ctx: Context = {
    ghost,
    siteUrl,
    site: siteUrl ? new URL(siteUrl).host : defaultGhostSite,
    membersPosts: options.membersPosts ?? 'draft',
    locale:
      exportLocale && articleRules.locale.safeParse(exportLocale).success
        ? exportLocale
        : (options.locale ?? 'en'),
    users: new Map(ghost.tables.users.map(user => [idOf(user.id), user])),
    tags: new Map(ghost.tables.tags.map(tag => [idOf(tag.id), tag])),
    meta: new Map(ghost.tables.posts_meta.map(meta => [idOf(meta.post_id), meta])),
    postTags: groupBy(ghost.tables.posts_tags, 'post_id'),
    postAuthors: groupBy(ghost.tables.posts_authors, 'post_id'),
  };
  for (const post of ghost.tables.posts) {
    const id = idOf(post.id);
    // Ghost 3+ names the kind in posts.type; Ghost 2 has the boolean posts.page.
    const type = text(post.type) ?? (post.page ? 'page' : 'post');
    if (type === 'post') {
      const item = postOf(post, ctx);
      // Ghost keeps every draft started, with nothing in it; there is nothing of it to move.
      if (post.status === 'draft' && item.values.body.trim() === '') {
        const reason = 'an empty draft in Ghost (no body)';
        yield { skipped: { kind: 'post', sourceId: id, line: item.line, reason } };
      } else {
        yield { post: item };
      }
    } else {
      const reason =
        type === 'page' ? 'Ghost pages are not articles' : `Ghost ${type}s are not articles`;
      yield { skipped: { kind: type, sourceId: id, line: ghost.lineOf(id), reason } };
    }
  }
  for (const tag of ghost.tables.tags.filter(isInternal)) {
    const id = idOf(tag.id);
    yield {
      skipped: {
        kind: 'internal tag',
        sourceId: id,
        line: ghost.lineOf(id),
        reason: `internal tag ${String(tag.name)} (Ghost's own label, never public)`,
      },
    };
  }
}

/** A Ghost export (the JSON text, versions 2 to 5) as the items importSourcePosts writes. */
export function readGhostExport(json: string, options: GhostImportOptions = {}): SourceItem[] {
  return [...itemsOf(parseGhostExport(json), options)];
}

/** The export file read and turned into items: the entry point of `content:import --from ghost`. */
export function ghostItems(file: string, options: GhostImportOptions = {}): Iterable<SourceItem> {
  // Parsed (and --site-url checked) now, so a bad file fails before the first write.
  const ghost = parseGhostExport(fs.readFileSync(file, 'utf8'));
  siteUrlOf(options.siteUrl);
  return itemsOf(ghost, options);
}
