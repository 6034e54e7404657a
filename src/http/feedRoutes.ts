import type http from 'node:http';
import etag from 'etag';
import express from 'express';
import fresh from 'fresh';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { sendInternalError, sendRefusal } from './httpGuards';
import { requestIdOf } from './incomingRequest';
import type { ArticleListFilter } from '../content/articleListing';
import { cacheKeys } from '../content/changes/cacheKeys';
import { siteUrls, type SiteUrls } from '../content/feeds/articleUrls';
import {
  type FeedArticle,
  feedArticlesByIds,
  feedAuthor,
  feedTag,
  newestFeedArticles,
} from '../content/feeds/feedReads';
import { type FeedChannel, rssDocument } from '../content/feeds/rssDocument';
import {
  hreflangAlternates,
  newsSitemapDocument,
  sitemapIndexDocument,
  urlsetDocument,
} from '../content/feeds/sitemapDocuments';
import {
  recentArticles,
  sitemapFiles,
  sitemapPage,
  sitemapSize,
  translationsOf,
} from '../content/feeds/sitemapReads';
import { publicRead, type Sql, type SqlReader } from '../db/SqlReader';
import { RankingMetric, ViewWindow } from '../entities/enums';
import { BadUserInputError } from '../errors/BadUserInputError';
import { NotFoundError } from '../errors/NotFoundError';
import type { Clock } from '../ops/clock';
import { maxAgeByWindow, secondsUntil } from '../plugins/cachePolicyPlugin';
import type { ViewServices } from '../views/viewServices';

export interface FeedRoutesOptions {
  config: Config;
  reader: SqlReader;
  clock: Clock;
  log: Logger;
  /** The ranking snapshots the most-read feed reads (as Query.mostRead does). */
  views: ViewServices;
  /** The next scheduled publication: feeds are not cached past it. */
  publications?: { readonly nextAt: number | null };
  /**
   * Puts the cache keys of an answer on it (the Cache-Tag or Surrogate-Key header): the hook
   * for the cache-tag layer; without it, no header.
   */
  cacheTags?: (res: http.ServerResponse, keys: readonly string[]) => void;
}

/** Google News reads articles of the last 48 hours, at most 1,000 per news sitemap. */
const newsWindowMs = 48 * 3600_000;
const newsMaxUrls = 1000;

// A language tag as the article filter takes it (BCP 47's shape, not its registry).
const languagePattern = /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
// As the content import makes slugs; anything else cannot name a tag or author.
const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** What one answer is: its body, its media type, its cache keys and how long it may be kept. */
interface Document {
  body: string;
  type: string;
  keys: readonly string[];
  maxAgeSeconds: number;
}

const rssType = 'application/rss+xml; charset=utf-8';
const xmlType = 'application/xml; charset=utf-8';

const windowLabels: Record<ViewWindow, string> = {
  [ViewWindow.LAST_24_HOURS]: 'last 24 hours',
  [ViewWindow.LAST_7_DAYS]: 'last 7 days',
  [ViewWindow.LAST_30_DAYS]: 'last 30 days',
  [ViewWindow.ALL_TIME]: 'all time',
};

/**
 * The feeds and sitemaps (README "Feeds and sitemaps"): RSS 2.0 at /feed.xml (the site),
 * /tag/<slug>/feed.xml, /author/<slug>/feed.xml, /language/<tag>/feed.xml and
 * /most-read/feed.xml?window=LAST_7_DAYS; /sitemap.xml (a urlset, or past SITEMAP_MAX_URLS an
 * index of /sitemap-<n>.xml) and /sitemap-news.xml (Google News, the last 48 hours). Public,
 * cached like public GraphQL answers (max-age, capped by the next scheduled publication), with a
 * weak ETag and 304. Each answer runs a fixed number of statements, whatever its number of items.
 */
export function feedRoutes(options: FeedRoutesOptions): express.Router {
  const { config, reader, clock, log, views } = options;
  const settings = config.feeds;
  const urls = siteUrls(
    config.publicUrl ?? `http://localhost:${config.port || 4000}`,
    settings.articleUrlPattern,
  );
  const router = express.Router();

  const contentMaxAge = (now: Date) =>
    Math.min(
      config.cacheMaxAgeSeconds,
      secondsUntil(options.publications?.nextAt ?? null, now.getTime()) ?? Infinity,
    );

  const feed = async (
    channel: FeedChannel,
    articles: FeedArticle[],
    keys: readonly string[],
    maxAgeSeconds: number,
  ): Promise<Document> => ({
    body: rssDocument(channel, articles, urls),
    type: rssType,
    keys: [
      cacheKeys.feeds,
      ...keys,
      ...articles.map(article => cacheKeys.article(article.internalId)),
    ],
    maxAgeSeconds,
  });

  const newest = (sql: Sql, filter: ArticleListFilter, now: Date) =>
    newestFeedArticles(sql, filter, settings.items, now);

  const route = (
    path: string | RegExp,
    build: (sql: Sql, req: express.Request, now: Date) => Promise<Document>,
  ) => {
    router.get(path, async (req, res) => {
      const requestId = requestIdOf(req);
      res.setHeader('x-request-id', requestId);
      const count = { statements: 0 };
      try {
        const now = clock();
        // Feeds and sitemaps list public content only: a read replica may answer.
        const document = await build(reader.counting(count, publicRead), req, now);
        send(req, res, document, count.statements);
      } catch (error) {
        if (error instanceof GraphQLError) {
          const status = error.extensions.code === 'NOT_FOUND' ? 404 : 400;
          sendRefusal(res, { status, error });
          return;
        }
        log.error({ err: error, requestId, path: req.path }, 'feed failed');
        sendInternalError(res, requestId);
      }
    });
  };

  const send = (
    req: express.Request,
    res: express.Response,
    document: Document,
    statements: number,
  ) => {
    if (!config.production) res.setHeader('x-sql-statements', String(statements));
    res.setHeader('content-type', document.type);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader(
      'cache-control',
      document.maxAgeSeconds > 0 ? `max-age=${document.maxAgeSeconds}, public` : 'no-cache',
    );
    options.cacheTags?.(res, document.keys);
    const tag = etag(document.body, { weak: true });
    res.setHeader('etag', tag);
    if (fresh(req.headers, { etag: tag })) {
      res.removeHeader('content-type');
      res.status(304).end();
      return;
    }
    res.setHeader('content-length', Buffer.byteLength(document.body));
    res.status(200).end(document.body);
  };

  route('/feed.xml', async (sql, _req, now) =>
    feed(
      {
        title: settings.siteName,
        description: `The newest articles of ${settings.siteName}.`,
        selfUrl: urls.at('/feed.xml'),
      },
      await newest(sql, {}, now),
      [],
      contentMaxAge(now),
    ),
  );

  route('/tag/:slug/feed.xml', async (sql, req, now) => {
    const slug = checkedSlug(String(req.params.slug), 'tag');
    const tag = await feedTag(sql, slug);
    if (!tag) throw new NotFoundError(`No tag with the slug ${JSON.stringify(slug)}.`);
    return feed(
      {
        title: `${settings.siteName}: ${tag.name}`,
        description: `The newest articles tagged ${tag.name}.`,
        selfUrl: urls.at(`/tag/${tag.slug}/feed.xml`),
      },
      await newest(sql, { tagSlugs: [tag.slug] }, now),
      [cacheKeys.tag(tag.internalId)],
      contentMaxAge(now),
    );
  });

  route('/author/:slug/feed.xml', async (sql, req, now) => {
    const slug = checkedSlug(String(req.params.slug), 'author');
    const author = await feedAuthor(sql, slug);
    if (!author) throw new NotFoundError(`No author with the slug ${JSON.stringify(slug)}.`);
    return feed(
      {
        title: `${settings.siteName}: ${author.name}`,
        description: `The newest articles by ${author.name}.`,
        selfUrl: urls.at(`/author/${author.slug}/feed.xml`),
      },
      await newest(sql, { authorSlug: author.slug }, now),
      [cacheKeys.author(author.internalId)],
      contentMaxAge(now),
    );
  });

  route('/language/:language/feed.xml', async (sql, req, now) => {
    const language = String(req.params.language);
    if (language.length > 35 || !languagePattern.test(language)) {
      throw new BadUserInputError(
        `The language must be a language tag such as de or en-GB, got ${JSON.stringify(language.slice(0, 40))}.`,
      );
    }
    return feed(
      {
        title: `${settings.siteName} (${language})`,
        description: `The newest articles of ${settings.siteName} in ${language}.`,
        selfUrl: urls.at(`/language/${language}/feed.xml`),
        language,
      },
      await newest(sql, { locale: language }, now),
      [cacheKeys.articleLists],
      contentMaxAge(now),
    );
  });

  route('/most-read/feed.xml', async (sql, req, now) => {
    const window = rankingWindow(req.query.window);
    const snapshot = await views.rankings.snapshot(window, RankingMetric.VIEWS, null, now);
    const ids = snapshot.entries.slice(0, settings.items).map(entry => entry.articleId);
    return feed(
      {
        title: `${settings.siteName}: most read, ${windowLabels[window]}`,
        description: `The most read articles of ${settings.siteName}, ${windowLabels[window]}.`,
        selfUrl: urls.at(`/most-read/feed.xml?window=${window}`),
      },
      await feedArticlesByIds(sql, ids, now),
      [cacheKeys.rankings],
      Math.min(contentMaxAge(now), maxAgeByWindow[window]),
    );
  });

  route('/sitemap.xml', async (sql, _req, now) => {
    const perFile = settings.sitemapMaxUrls;
    const size = await sitemapSize(sql, now);
    const body =
      size.count > perFile
        ? await sitemapIndexDocument(await sitemapFiles(sql, now, perFile), page =>
            urls.at(`/sitemap-${page}.xml`),
          )
        : await sitemapUrlset(sql, now, 1, perFile, urls);
    return { body, type: xmlType, keys: [cacheKeys.feeds], maxAgeSeconds: contentMaxAge(now) };
  });

  route(/^\/sitemap-(\d{1,9})\.xml$/, async (sql, req, now) => {
    const page = Number((req.params as Record<string, string>)[0]);
    const perFile = settings.sitemapMaxUrls;
    const size = await sitemapSize(sql, now);
    // Where everything fits into /sitemap.xml, there are no numbered files.
    if (size.count <= perFile || page < 1 || (page - 1) * perFile >= size.count) {
      throw new NotFoundError(
        `No sitemap file ${page}: /sitemap.xml lists the files there are (${size.count <= perFile ? 'none: it is the sitemap itself' : `1 to ${Math.ceil(size.count / perFile)}`}).`,
      );
    }
    return {
      body: await sitemapUrlset(sql, now, page, perFile, urls),
      type: xmlType,
      keys: [cacheKeys.feeds],
      maxAgeSeconds: contentMaxAge(now),
    };
  });

  route('/sitemap-news.xml', async (sql, _req, now) => {
    const articles = await recentArticles(sql, now, newsWindowMs, newsMaxUrls);
    return {
      body: await newsSitemapDocument(articles, settings.siteName, urls),
      type: xmlType,
      keys: [cacheKeys.feeds, ...articles.map(article => cacheKeys.article(article.internalId))],
      // The oldest item drops out 48 hours after its publication: not cached past that.
      maxAgeSeconds: Math.min(
        contentMaxAge(now),
        ...articles.map(article =>
          Math.max(
            0,
            Math.floor((article.publishedAt.getTime() + newsWindowMs - now.getTime()) / 1000),
          ),
        ),
      ),
    };
  });

  return router;
}

/** One file of the sitemap: its articles with their hreflang alternates. */
async function sitemapUrlset(
  sql: Sql,
  now: Date,
  page: number,
  perFile: number,
  urls: SiteUrls,
): Promise<string> {
  const articles = await sitemapPage(sql, now, page, perFile);
  const keys = [
    ...new Set(
      articles.flatMap(article => (article.translationKey ? [article.translationKey] : [])),
    ),
  ];
  const versions = await translationsOf(sql, keys, now);
  return urlsetDocument(articles, hreflangAlternates(articles, versions, urls), urls);
}

function checkedSlug(slug: string, what: string): string {
  if (slug.length > 200 || !slugPattern.test(slug)) {
    throw new BadUserInputError(
      `The ${what} must be a slug (lower-case letters, digits, single hyphens), got ${JSON.stringify(slug.slice(0, 60))}.`,
    );
  }
  return slug;
}

/** ?window=: a ViewWindow by name (any case), LAST_7_DAYS by default. */
function rankingWindow(value: unknown): ViewWindow {
  if (value === undefined) return ViewWindow.LAST_7_DAYS;
  const name = typeof value === 'string' ? value.toUpperCase() : '';
  if (!(name in ViewWindow)) {
    throw new BadUserInputError(
      `window must be one of ${Object.values(ViewWindow).join(', ')}, got ${JSON.stringify(typeof value === 'string' ? value.slice(0, 40) : value)}.`,
    );
  }
  return name as ViewWindow;
}
