import type { SiteUrls } from './articleUrls';
import type { FeedArticle } from './feedReads';
import { xmlElement, xmlText } from './xmlText';
import { encodeGlobalId } from '../../relay/globalId';

/** What a feed is: its title and description, its own URL, its language if it has one. */
export interface FeedChannel {
  title: string;
  description: string;
  /** The absolute URL the feed is read at (atom:link rel="self"). */
  selfUrl: string;
  /** A language tag, for a feed of one language. */
  language?: string;
}

/**
 * An RSS 2.0 document (https://www.rssboard.org/rss-specification) of `articles`, newest or best
 * first, with what validators ask for beyond the required title, link and description:
 * atom:link rel="self" (RSS Advisory Board's best practice), dates in RFC 822 form, and a guid
 * that never changes: the article's Node id, not its URL, which changes with its slug (so
 * isPermaLink="false"). Authors are dc:creator (RSS's own <author> must be an e-mail address),
 * the body is content:encoded, the excerpt the description. lastBuildDate is the newest
 * change among the items, so an unchanged feed is byte for byte the same (its ETag holds).
 */
export function rssDocument(
  channel: FeedChannel,
  articles: readonly FeedArticle[],
  urls: SiteUrls,
): string {
  const newest = articles.reduce<number | null>(
    (latest, article) =>
      Math.max(latest ?? 0, article.updatedAt.getTime(), article.publishedAt.getTime()),
    null,
  );
  const head = [
    xmlElement('title', channel.title),
    xmlElement('link', urls.home),
    xmlElement('description', channel.description),
    channel.language ? xmlElement('language', channel.language) : '',
    newest === null ? '' : xmlElement('lastBuildDate', rfc822(new Date(newest))),
    xmlElement('atom:link', null, {
      href: channel.selfUrl,
      rel: 'self',
      type: 'application/rss+xml',
    }),
  ];
  const items = articles.map(article => {
    const link = urls.article(article);
    return [
      '<item>',
      xmlElement('title', article.title),
      xmlElement('link', link),
      xmlElement('guid', encodeGlobalId('Article', article.internalId), { isPermaLink: 'false' }),
      xmlElement('pubDate', rfc822(article.publishedAt)),
      ...article.authors.map(author => xmlElement('dc:creator', author.name)),
      ...article.tags.map(tag => xmlElement('category', tag.name)),
      xmlElement('description', article.excerpt),
      `<content:encoded>${xmlText(article.bodyHtml)}</content:encoded>`,
      '</item>',
    ]
      .filter(Boolean)
      .join('\n    ');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    ...head.filter(Boolean).map(line => `  ${line}`),
    ...items.map(item => `  ${item}`),
    '</channel>',
    '</rss>',
    '',
  ].join('\n');
}

/** RFC 822 (as RFC 1123 updates it, four-digit year) in GMT: "Sun, 01 Nov 2026 08:00:00 GMT". */
export function rfc822(at: Date): string {
  return at.toUTCString();
}
