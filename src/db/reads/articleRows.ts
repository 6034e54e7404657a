import { Article } from '../../entities/Article';
import { ArticleStatus, BodyFormat } from '../../entities/enums';
import type { Dialect, SqlParams } from '../dialect';
import { bool, date, int, type Row, selectList, text } from './rowValues';

/**
 * The read SQL of the article table: which columns each read selects, how a row becomes an
 * Article, and the condition of every public read. tests/rowReads.test.ts keeps the column lists
 * equal to Article's @Column list and to the migrated table.
 *
 * Lists read an article's card columns; by-slug and by-id lookups also read its detail columns
 * (status, featured, headings, SEO fields), which a list that asks for them gets from
 * articleDetailsById. Each column of each row costs the sqlite3 driver a property set on the main
 * thread: the listing page went from 165 to 188 requests a second without the detail columns.
 * Bodies are read one format at a time, only by articleBodyById.
 */
export const articleColumnNames = {
  card: [
    'internal_id',
    'slug',
    'title',
    'sort_title',
    'locale',
    'published_at',
    'updated_at',
    'word_count',
    'image_count',
    'custom_excerpt',
    'auto_excerpt',
    'image_url',
    'image_alt',
    'image_caption',
    'image_width',
    'image_height',
    'revision',
    'translation_key',
  ],
  details: [
    'status',
    'featured',
    'created_at',
    'headings_json',
    'seo_title',
    'seo_description',
    'canonical_url',
  ],
  body: ['body_html', 'body_markdown', 'body_text'],
} as const;

/** The body column of each format. */
export const articleBodyColumns: Record<BodyFormat, (typeof articleColumnNames.body)[number]> = {
  [BodyFormat.HTML]: 'body_html',
  [BodyFormat.MARKDOWN]: 'body_markdown',
  [BodyFormat.TEXT]: 'body_text',
};

/** What a list reads of each article, on the alias `a`. */
export const articleCardColumns = selectList('a', articleColumnNames.card);

/** The detail columns, on the alias `a`. */
export const articleDetailColumns = selectList('a', articleColumnNames.details);

/** Card and detail columns: what a lookup of one article reads. */
export const articleColumns = `${articleCardColumns}, ${articleDetailColumns}`;

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

/** The detail fields of a row that has the detail columns. */
export function articleDetailsFromRow(row: Row): ArticleDetails {
  return {
    status: row.status as ArticleStatus,
    featured: bool(row.featured),
    createdAt: date(row.created_at) as Date,
    headingsJson: String(row.headings_json),
    seoTitle: text(row.seo_title),
    seoDescription: text(row.seo_description),
    canonicalUrl: text(row.canonical_url),
  };
}

/** An article from a row of card columns: detailsLoaded is false. */
export function articleCardFromRow(row: Row): Article {
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
  article.revision = Number(row.revision);
  article.translationKey = text(row.translation_key);
  return article;
}

/** An article from a row of card and detail columns (articleColumns): detailsLoaded is true. */
export function articleFromRow(row: Row): Article {
  const article = Object.assign(articleCardFromRow(row), articleDetailsFromRow(row));
  article.detailsLoaded = true;
  return article;
}

/**
 * The primary language subtag of a locale column, lower-cased ('de-AT' -> 'de'), for comparing
 * the languages of two articles in SQL.
 */
export function languageSql(dialect: Dialect, column: string): string {
  return dialect === 'postgres'
    ? `lower(split_part(${column}, '-', 1))`
    : `lower(substr(${column}, 1, instr(${column} || '-', '-') - 1))`;
}

/** The condition every public read applies: published, and published by now. */
export function publicArticleCondition(params: SqlParams, now: Date, alias = 'a'): string {
  return `${alias}.status = '${ArticleStatus.PUBLISHED}' AND ${alias}.published_at <= ${params.add(now.getTime())}`;
}
