import { Readable } from 'node:stream';
import {
  ErrorLevel,
  type SitemapItemLoose,
  SitemapIndexStream,
  SitemapStream,
  streamToPromise,
} from 'sitemap';
import type { SiteUrls } from './articleUrls';
import type { SitemapArticle, SitemapFile } from './sitemapReads';

/** An hreflang alternate of a page: a language version and its absolute URL. */
export interface Alternate {
  hreflang: string;
  href: string;
}

/**
 * The hreflang alternates of each article that has public versions in other languages: every
 * version of its story, itself included (Google: "each language version must list itself as
 * well as all other language versions"). `versions` are the public articles sharing the
 * translation keys of `articles`. Articles without another version get none.
 */
export function hreflangAlternates(
  articles: readonly SitemapArticle[],
  versions: readonly SitemapArticle[],
  urls: SiteUrls,
): Map<number, Alternate[]> {
  const byKey = new Map<string, SitemapArticle[]>();
  for (const version of versions) {
    if (version.translationKey === null) continue;
    const group = byKey.get(version.translationKey) ?? [];
    if (!group.some(known => known.internalId === version.internalId)) group.push(version);
    byKey.set(version.translationKey, group);
  }
  const alternates = new Map<number, Alternate[]>();
  for (const article of articles) {
    const group = article.translationKey === null ? undefined : byKey.get(article.translationKey);
    if (!group || group.length < 2) continue;
    alternates.set(
      article.internalId,
      [...group]
        .sort((a, b) => a.locale.localeCompare(b.locale) || a.internalId - b.internalId)
        .map(version => ({ hreflang: version.locale, href: urls.article(version) })),
    );
  }
  return alternates;
}

// The package checks every entry; an invalid one is a bug here, not something to skip quietly.
const streamOptions = { level: ErrorLevel.THROW } as const;

/**
 * A sitemaps.org urlset (https://www.sitemaps.org/protocol.html) of articles: absolute, escaped
 * <loc>, <lastmod> in W3C date-time, and xhtml:link hreflang alternates where a story has
 * versions in other languages.
 */
export async function urlsetDocument(
  articles: readonly SitemapArticle[],
  alternates: ReadonlyMap<number, Alternate[]>,
  urls: SiteUrls,
): Promise<string> {
  const items: SitemapItemLoose[] = articles.map(article => ({
    url: urls.article(article),
    lastmod: article.updatedAt.toISOString(),
    links: (alternates.get(article.internalId) ?? []).map(alternate => ({
      lang: alternate.hreflang,
      hreflang: alternate.hreflang,
      url: alternate.href,
    })),
  }));
  if (items.length === 0) return emptyUrlset('xmlns:xhtml="http://www.w3.org/1999/xhtml"');
  const stream = new SitemapStream({
    ...streamOptions,
    xmlns: { news: false, xhtml: true, image: false, video: false },
  });
  return (await streamToPromise(Readable.from(items).pipe(stream))).toString('utf8');
}

/** A sitemap index of the files of a split sitemap, each with its newest change. */
export async function sitemapIndexDocument(
  files: readonly SitemapFile[],
  fileUrl: (page: number) => string,
): Promise<string> {
  const stream = new SitemapIndexStream(streamOptions);
  const items = files.map(file => ({
    url: fileUrl(file.page),
    lastmod: file.lastmod.toISOString(),
  }));
  return (await streamToPromise(Readable.from(items).pipe(stream))).toString('utf8');
}

/**
 * A Google News sitemap (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap)
 * of recent articles: publication name and language (ISO 639: the locale's language, zh-cn and
 * zh-tw as Google asks), publication date and title.
 */
export async function newsSitemapDocument(
  articles: readonly SitemapArticle[],
  publicationName: string,
  urls: SiteUrls,
): Promise<string> {
  const items: SitemapItemLoose[] = articles.map(article => ({
    url: urls.article(article),
    lastmod: article.updatedAt.toISOString(),
    news: {
      publication: { name: publicationName, language: newsLanguage(article.locale) },
      publication_date: article.publishedAt.toISOString(),
      title: article.title,
    },
  }));
  if (items.length === 0) {
    return emptyUrlset('xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"');
  }
  const stream = new SitemapStream({
    ...streamOptions,
    xmlns: { news: true, xhtml: false, image: false, video: false },
  });
  return (await streamToPromise(Readable.from(items).pipe(stream))).toString('utf8');
}

/**
 * A urlset without URLs: the package refuses to write one (EmptySitemap), but a site with no
 * public article, or no news of the last 48 hours, still has its sitemap (search engines report
 * it as empty, not as missing or broken).
 */
function emptyUrlset(namespace: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" ${namespace}></urlset>`;
}

/** Google News' language code of a BCP 47 locale: 'de-AT' -> 'de', 'zh-Hant-TW' -> 'zh-tw'. */
export function newsLanguage(locale: string): string {
  const parts = locale.toLowerCase().split('-');
  if (parts[0] === 'zh') {
    return parts.includes('tw') || parts.includes('hant') || parts.includes('hk')
      ? 'zh-tw'
      : 'zh-cn';
  }
  return parts[0];
}
