import type { Article } from '../../entities/Article';
import type { ArticleStatus } from '../../entities/enums';
import { cutAtWord, renderMarkdown } from '../markdown';
import { searchDocument, sortKey } from '../textFolding';

/** What an editor sets of an article (import or mutation); everything else is derived from it. */
export interface ArticleValues {
  title: string;
  slug: string;
  locale: string;
  status: ArticleStatus;
  featured: boolean;
  publishedAt: Date | null;
  body: string;
  excerpt: string | null;
  imageUrl: string | null;
  imageAlt: string | null;
  imageCaption: string | null;
  imageWidth: number | null;
  imageHeight: number | null;
  seoTitle: string | null;
  seoDescription: string | null;
  canonicalUrl: string | null;
  translationKey: string | null;
}

/** The article's values as stored. */
export function valuesOf(article: Article): ArticleValues {
  return {
    title: article.title,
    slug: article.slug,
    locale: article.locale,
    status: article.status,
    featured: article.featured,
    publishedAt: article.publishedAt,
    body: article.bodyMarkdown,
    excerpt: article.customExcerpt,
    imageUrl: article.imageUrl,
    imageAlt: article.imageAlt,
    imageCaption: article.imageCaption,
    imageWidth: article.imageWidth,
    imageHeight: article.imageHeight,
    seoTitle: article.seoTitle,
    seoDescription: article.seoDescription,
    canonicalUrl: article.canonicalUrl,
    translationKey: article.translationKey,
  };
}

/**
 * An article's stored columns: its values, and what is derived from them once, on write (HTML,
 * text, headings, word and image counts, sort key, automatic excerpt), so requests parse nothing.
 * Also the folded search text of title and body, which src/db/search.ts writes.
 */
export function articleColumns(
  value: ArticleValues,
  updatedAt: Date,
): { columns: Partial<Article>; search: { title: string; body: string } } {
  const rendered = renderMarkdown(value.body);
  return {
    columns: {
      slug: value.slug,
      title: value.title,
      sortTitle: sortKey(value.title),
      locale: value.locale,
      status: value.status,
      featured: value.featured,
      publishedAt: value.publishedAt,
      updatedAt,
      bodyMarkdown: value.body,
      bodyHtml: rendered.html,
      bodyText: rendered.text,
      headingsJson: JSON.stringify(rendered.headings),
      wordCount: rendered.wordCount,
      imageCount: rendered.imageCount,
      customExcerpt: value.excerpt,
      autoExcerpt: cutAtWord(rendered.firstParagraph || rendered.text),
      imageUrl: value.imageUrl,
      imageAlt: value.imageAlt,
      imageCaption: value.imageCaption,
      imageWidth: value.imageWidth,
      imageHeight: value.imageHeight,
      seoTitle: value.seoTitle,
      seoDescription: value.seoDescription,
      canonicalUrl: value.canonicalUrl,
      translationKey: value.translationKey,
    },
    search: {
      title: searchDocument(value.title),
      body: searchDocument(`${value.excerpt ?? ''}\n${rendered.text}`),
    },
  };
}
