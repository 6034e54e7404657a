import { Article } from '../entities/Article';
import { Author } from '../entities/Author';
import type { ArticleStatus } from '../entities/enums';
import { Tag } from '../entities/Tag';

/**
 * Raw rows to entities, without TypeORM's hydration on read paths: the columns are known, so a
 * plain assignment is all the mapping needs. Bodies are read only by articleBodyById.
 *
 * Lists read an article's card columns; by-slug and by-id lookups also read its detail columns
 * (status, featured, headings, SEO fields), which a list that asks for them gets from
 * articleDetailsById. Each column of each row costs the sqlite3 driver a property set on the main
 * thread: the listing page went from 165 to 188 requests a second without the detail columns.
 */
export const articleCardColumns = [
  'a.internal_id',
  'a.slug',
  'a.title',
  'a.sort_title',
  'a.locale',
  'a.published_at',
  'a.updated_at',
  'a.word_count',
  'a.image_count',
  'a.custom_excerpt',
  'a.auto_excerpt',
  'a.image_url',
  'a.image_alt',
  'a.image_caption',
  'a.image_width',
  'a.image_height',
].join(', ');

export const articleDetailColumns = [
  'a.status',
  'a.featured',
  'a.created_at',
  'a.headings_json',
  'a.seo_title',
  'a.seo_description',
  'a.canonical_url',
].join(', ');

/** Card and detail columns: what a lookup of one article reads. */
export const articleColumns = `${articleCardColumns}, ${articleDetailColumns}`;

type Row = Record<string, unknown>;

const date = (value: unknown): Date | null => (value == null ? null : new Date(Number(value)));
const text = (value: unknown): string | null => (value == null ? null : String(value));
const int = (value: unknown): number | null => (value == null ? null : Number(value));

/** The detail fields of an article, as articleDetailsById reads them. */
export type ArticleDetails = Pick<
  Article,
  | 'status'
  | 'featured'
  | 'createdAt'
  | 'headingsJson'
  | 'seoTitle'
  | 'seoDescription'
  | 'canonicalUrl'
>;

export function articleDetailsFromRow(row: Row): ArticleDetails {
  return {
    status: row.status as ArticleStatus,
    // SQLite returns booleans as 0 and 1.
    featured: row.featured === true || row.featured === 1,
    createdAt: date(row.created_at) as Date,
    headingsJson: String(row.headings_json),
    seoTitle: text(row.seo_title),
    seoDescription: text(row.seo_description),
    canonicalUrl: text(row.canonical_url),
  };
}

/** An article from card columns, with its details where the row has the detail columns. */
export function articleFromRow(row: Row): Article {
  const article = new Article();
  article.internalId = Number(row.internal_id);
  article.slug = String(row.slug);
  article.title = String(row.title);
  article.sortTitle = String(row.sort_title);
  article.locale = String(row.locale);
  article.publishedAt = date(row.published_at);
  article.updatedAt = date(row.updated_at) as Date;
  article.wordCount = Number(row.word_count);
  article.imageCount = Number(row.image_count);
  article.customExcerpt = text(row.custom_excerpt);
  article.autoExcerpt = String(row.auto_excerpt);
  article.imageUrl = text(row.image_url);
  article.imageAlt = text(row.image_alt);
  article.imageCaption = text(row.image_caption);
  article.imageWidth = int(row.image_width);
  article.imageHeight = int(row.image_height);
  if (row.headings_json !== undefined) {
    Object.assign(article, articleDetailsFromRow(row));
    article.detailsLoaded = true;
  }
  return article;
}

export const authorColumns =
  'au.internal_id, au.slug, au.name, au.sort_name, au.bio, au.avatar_url';

/** What an article's list of authors reads: Author.bio comes from authorById if asked for. */
export const authorCardColumns = 'au.internal_id, au.slug, au.name, au.avatar_url';

export function authorFromRow(row: Row): Author {
  const author = new Author();
  author.internalId = Number(row.internal_id);
  author.slug = String(row.slug);
  author.name = String(row.name);
  if (row.sort_name !== undefined) author.sortName = String(row.sort_name);
  if (row.bio !== undefined) author.bio = text(row.bio);
  author.avatarUrl = text(row.avatar_url);
  return author;
}

export const tagColumns = 't.internal_id, t.slug, t.name, t.sort_name, t.description';

/** What an article's list of tags reads: Tag.description comes from tagById if asked for. */
export const tagCardColumns = 't.internal_id, t.slug, t.name';

export function tagFromRow(row: Row): Tag {
  const tag = new Tag();
  tag.internalId = Number(row.internal_id);
  tag.slug = String(row.slug);
  tag.name = String(row.name);
  if (row.sort_name !== undefined) tag.sortName = String(row.sort_name);
  if (row.description !== undefined) tag.description = text(row.description);
  return tag;
}
