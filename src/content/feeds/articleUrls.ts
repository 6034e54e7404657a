/**
 * Absolute URLs of the site's pages, as feeds and sitemaps must give them (RSS 2.0 and
 * sitemaps.org require absolute URLs): the base is PUBLIC_URL (never the request's Host header,
 * which a client chooses and a shared cache would keep), the article's page comes from
 * ARTICLE_URL_PATTERN.
 */
export interface SiteUrls {
  /** The site's root, with a trailing slash. */
  readonly home: string;
  /** An absolute URL on the gateway: `path` begins with a slash. */
  at(path: string): string;
  /** The page of an article. */
  article(article: { slug: string; locale: string }): string;
}

/**
 * The URLs of a site at `baseUrl` (PUBLIC_URL, or the gateway's local address), whose article
 * pages follow `pattern`: a path resolved under the base (its own path kept, so a gateway at
 * https://example.com/api has feeds at https://example.com/api/feed.xml), or an absolute URL.
 */
export function siteUrls(baseUrl: string, pattern: string): SiteUrls {
  const base = baseUrl.replace(/\/+$/, '');
  const at = (path: string) => new URL(`${base}${path}`).href;
  const absolutePattern = /^https?:\/\//i.test(pattern);
  return {
    home: at('/'),
    at,
    article: ({ slug, locale }) => {
      const path = pattern
        .replace('{slug}', encodeURIComponent(slug))
        .replace('{locale}', encodeURIComponent(locale));
      // new URL normalizes (percent-encodes what a URL cannot hold, lower-cases the host).
      return absolutePattern ? new URL(path).href : at(path);
    },
  };
}
