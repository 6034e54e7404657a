/**
 * Where a view came from, from what the client reports: the referrer (document.referrer) and the
 * page's own URL, whose utm_source, utm_medium and utm_campaign are read. Only the class, the
 * referrer's host and the campaign's name leave this file: never a path, a query string or a full
 * URL of another site (README "Analytics jobs").
 */

/** The source classes, as GraphQL and the rollups name them. */
export enum TrafficSource {
  SEARCH = 'SEARCH',
  SOCIAL = 'SOCIAL',
  NEWSLETTER = 'NEWSLETTER',
  CAMPAIGN = 'CAMPAIGN',
  INTERNAL = 'INTERNAL',
  DIRECT = 'DIRECT',
  OTHER = 'OTHER',
}

export interface SourceReport {
  /** document.referrer, or the Referer an app sends; empty or null for none. */
  referrer?: string | null;
  /** The page's own URL as the client sees it (location.href): only its host and utm_* are read. */
  pageUrl?: string | null;
}

export interface ViewSource {
  source: TrafficSource;
  /** The referrer's host without "www.", lower case; '' for none (and for INTERNAL and DIRECT). */
  host: string;
  /** utm_campaign, normalized; '' for none. */
  campaign: string;
}

/** What a host or campaign beyond SOURCE_MAX_KEYS_PER_DAY is counted as; no real one looks so. */
export const otherKey = '(other)';

// Browsers send other sites' referrers as their origin alone (strict-origin-when-cross-origin, the
// default policy); longer URLs are read up to here (a host and utm_* come first), not refused.
const maxUrlLength = 2000;
const maxCampaignLength = 100;

/**
 * Hosts by class, each matching itself and its subdomains; `google.*` matches google. with any
 * country ending (google.de, google.co.uk). A small table kept by hand (README "Analytics jobs"
 * lists its sources): the packaged referrer lists on npm (referer-parser, last published in 2014)
 * are older than half of these services.
 */
const hostClasses: readonly [TrafficSource, readonly string[]][] = [
  [
    TrafficSource.SEARCH,
    [
      'google.*',
      'bing.com',
      'duckduckgo.com',
      'search.yahoo.com',
      'yahoo.co.jp',
      'yandex.*',
      'ya.ru',
      'baidu.com',
      'ecosia.org',
      'qwant.com',
      'startpage.com',
      'search.brave.com',
      'kagi.com',
      'metager.org',
      'metager.de',
      'mojeek.com',
      'search.aol.com',
      'ask.com',
      'naver.com',
      'seznam.cz',
      'sogou.com',
      'so.com',
      'suche.t-online.de',
      'suche.web.de',
      'suche.gmx.net',
      'search.lilo.org',
      // Android's Google app (Discover, the search bar) as an android-app:// referrer.
      'com.google.android.googlequicksearchbox',
    ],
  ],
  [
    TrafficSource.SOCIAL,
    [
      'facebook.com',
      'fb.com',
      'instagram.com',
      't.co',
      'twitter.com',
      'x.com',
      'linkedin.com',
      'lnkd.in',
      'reddit.com',
      'pinterest.*',
      'pin.it',
      'tiktok.com',
      'youtube.com',
      'youtu.be',
      'bsky.app',
      'threads.net',
      'threads.com',
      'mastodon.social',
      'mastodon.online',
      'chaos.social',
      'mstdn.social',
      'troet.cafe',
      'news.ycombinator.com',
      'xing.com',
      'vk.com',
      'tumblr.com',
      'quora.com',
      'weibo.com',
      'flipboard.com',
      't.me',
      'web.telegram.org',
      'web.whatsapp.com',
      'discord.com',
      'snapchat.com',
      'com.facebook.katana',
      'com.twitter.android',
      'com.linkedin.android',
      'com.reddit.frontpage',
      'org.telegram.messenger',
      'com.whatsapp',
    ],
  ],
  [
    // A link clicked in a mail: webmail sites and mail apps.
    TrafficSource.NEWSLETTER,
    [
      'mail.google.com',
      'outlook.live.com',
      'outlook.office.com',
      'outlook.office365.com',
      'mail.yahoo.com',
      'mail.proton.me',
      'mail.aol.com',
      'navigator.gmx.net',
      'navigator.web.de',
      'email.t-online.de',
      'com.google.android.gm',
      'com.microsoft.office.outlook',
    ],
  ],
];

/** utm_source names that are a search engine or a social network (for untagged media). */
const searchNames = new Set([
  'google',
  'bing',
  'duckduckgo',
  'yahoo',
  'yandex',
  'ecosia',
  'qwant',
  'baidu',
]);
const socialNames = new Set([
  'facebook',
  'fb',
  'instagram',
  'ig',
  'twitter',
  'x',
  'linkedin',
  'reddit',
  'pinterest',
  'tiktok',
  'youtube',
  'bluesky',
  'bsky',
  'mastodon',
  'threads',
  'xing',
  'whatsapp',
  'telegram',
  'hackernews',
]);
const mailMedia = new Set(['email', 'e-mail', 'e_mail', 'mail', 'newsletter']);
const socialMedia = new Set([
  'social',
  'social-media',
  'social_media',
  'socialmedia',
  'sm',
  'social-network',
  'organic-social',
  'organic_social',
]);
// Paid or placed media: always CAMPAIGN, whatever the source's name.
const paidMedia =
  /^(cpc|ppc|cpm|cpv|paid|paid[-_ ]?\w+|display|banner|affiliate|sponsored|ad|ads)$/;

/** Hosts to class, exact; `google.*` patterns go to wildcards. */
const exactHosts = new Map<string, TrafficSource>();
const wildcardNames = new Map<string, TrafficSource>();
for (const [source, hosts] of hostClasses) {
  for (const host of hosts) {
    if (host.endsWith('.*')) wildcardNames.set(host.slice(0, -2), source);
    else exactHosts.set(host, source);
  }
}

/** A country or generic ending after a wildcard name: de, com, co.uk, com.br. */
const countryEnding = /^([a-z]{2,3}|(co|com|org|net|ne|or)\.[a-z]{2})$/;

/** The class of a referrer host by the table, or null: the host itself, then each parent domain. */
export function hostClass(host: string): TrafficSource | null {
  for (let name = host; ; ) {
    const known = exactHosts.get(name);
    if (known) return known;
    const dot = name.indexOf('.');
    if (dot === -1) break;
    const wildcard = wildcardNames.get(name.slice(0, dot));
    if (wildcard && countryEnding.test(name.slice(dot + 1))) return wildcard;
    name = name.slice(dot + 1);
  }
  return null;
}

/** Whether `host` is one of `hosts` or a subdomain of one. */
function inHosts(host: string, hosts: readonly string[]): boolean {
  return hosts.some(site => host === site || host.endsWith(`.${site}`));
}

// scheme://[user@]host[:port]...: the host of an absolute URL without parsing the rest (WHATWG
// URL parsing of a referrer and a page URL cost most of a counted view's classification).
const hostPattern = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]/?#]*\]|[^/?#:]+)/i;

/** A URL's host, lower case, without "www."; null where the text is not an absolute URL. */
function hostOf(text: string): string | null {
  const match = hostPattern.exec(text);
  return match ? match[1].toLowerCase().replace(/^www\d?\./, '') : null;
}

/** utm_campaign as kept: lower case, spaces collapsed, no control characters or brackets. */
export function normalizedCampaign(value: string): string {
  return value
    .toLowerCase()
    .replace(/[\p{Cc}()]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, maxCampaignLength);
}

/** A query parameter's value as URLSearchParams decodes it ('+' is a space); '' where malformed. */
function decoded(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return '';
  }
}

/**
 * The utm_* parameters of the page URL (lower case), or null where there are none. Read by hand:
 * URLSearchParams over the whole query cost more than the rest of the classification.
 */
function utmOf(pageUrl: string | null | undefined) {
  if (!pageUrl || !pageUrl.includes('utm_')) return null;
  const query = pageUrl.indexOf('?');
  if (query === -1) return null;
  const fragment = pageUrl.indexOf('#', query);
  const utm = { source: '', medium: '', campaign: '' };
  for (const pair of pageUrl.slice(query + 1, fragment === -1 ? undefined : fragment).split('&')) {
    if (!pair.startsWith('utm_')) continue;
    const equals = pair.indexOf('=');
    const name = pair.slice(4, equals === -1 ? undefined : equals);
    if (name !== 'source' && name !== 'medium' && name !== 'campaign') continue;
    // The first of a name counts, as URLSearchParams.get would have it.
    if (utm[name] === '' && equals !== -1) utm[name] = decoded(pair.slice(equals + 1));
  }
  const source = utm.source.trim().toLowerCase();
  const medium = utm.medium.trim().toLowerCase();
  const campaign = normalizedCampaign(utm.campaign);
  return source || medium || campaign ? { source, medium, campaign } : null;
}

/** The class a tagged link (utm_*) gives: mail, social and organic search by name, else CAMPAIGN. */
function taggedClass(utm: { source: string; medium: string }): TrafficSource {
  if (mailMedia.has(utm.medium) || utm.source.includes('newsletter')) {
    return TrafficSource.NEWSLETTER;
  }
  if (paidMedia.test(utm.medium)) return TrafficSource.CAMPAIGN;
  if (socialMedia.has(utm.medium)) return TrafficSource.SOCIAL;
  const untagged = utm.medium === '' || utm.medium === 'organic' || utm.medium === 'referral';
  if (untagged && socialNames.has(utm.source)) return TrafficSource.SOCIAL;
  if (untagged && searchNames.has(utm.source)) return TrafficSource.SEARCH;
  return TrafficSource.CAMPAIGN;
}

/**
 * The source of one view. A tagged page URL (utm_*) wins over the referrer (a newsletter link
 * opened in a webmail is NEWSLETTER either way); then a referrer from the page's own host or
 * SITE_HOSTS is INTERNAL, one in the table has its class, any other is OTHER, none is DIRECT.
 */
export function classifySource(report: SourceReport, siteHosts: readonly string[]): ViewSource {
  const referrer = report.referrer?.slice(0, maxUrlLength).trim() ?? '';
  const referrerHost = referrer === '' ? null : hostOf(referrer);
  const pageUrl = report.pageUrl?.slice(0, maxUrlLength);
  const utm = utmOf(pageUrl);
  const internal =
    referrerHost !== null &&
    (referrerHost === (pageUrl ? hostOf(pageUrl) : null) || inHosts(referrerHost, siteHosts));
  if (utm) {
    return {
      source: taggedClass(utm),
      host: referrerHost === null || internal ? '' : referrerHost,
      campaign: utm.campaign,
    };
  }
  if (referrer === '') return { source: TrafficSource.DIRECT, host: '', campaign: '' };
  if (referrerHost === null) return { source: TrafficSource.OTHER, host: '', campaign: '' };
  if (internal) return { source: TrafficSource.INTERNAL, host: '', campaign: '' };
  return {
    source: hostClass(referrerHost) ?? TrafficSource.OTHER,
    host: referrerHost,
    campaign: '',
  };
}
