import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads process.env. Every setting is validated here, has a safe default for
 * the embedded setup (SQLite file, demo content, Sandbox), and is listed in README.md and .env.example.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    errorMap: () => ({ message: 'expected true or false' }),
  })
  .transform(value => value === 'true' || value === '1' || value === 'yes');

const int = (min: number, max: number) =>
  z.coerce
    .number({ invalid_type_error: `expected a whole number between ${min} and ${max}` })
    .int(`expected a whole number between ${min} and ${max}`)
    .min(min, `expected a whole number between ${min} and ${max}`)
    .max(max, `expected a whole number between ${min} and ${max}`);

const positive = z.coerce
  .number({ invalid_type_error: 'expected a positive number' })
  .positive('expected a positive number');

/** "de:179,en:228" -> { de: 179, en: 228 } */
const wordsPerMinute = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)?:\d+(,[a-z]{2,3}(-[A-Za-z0-9]+)?:\d+)*$/, {
    message: 'expected language:words pairs such as de:179,en:228',
  })
  .transform(value =>
    Object.fromEntries(
      value.split(',').map(pair => {
        const [language, rate] = pair.split(':');
        return [language, Number(rate)];
      }),
    ),
  );

/** "MyNewsApp/, Zeitung-Kiosk" -> ['mynewsapp/', 'zeitung-kiosk']: case-insensitive substrings. */
const readerAppAgents = z
  .string()
  .transform(value =>
    value
      .split(',')
      .map(agent => agent.trim().toLowerCase())
      .filter(agent => agent !== ''),
  )
  .refine(
    agents => agents.length <= 50 && agents.every(agent => /^[\x21-\x7e ]{3,100}$/.test(agent)),
    {
      message:
        'expected a comma-separated list of at most 50 user-agent parts, each 3 to 100 printable characters, such as MyNewsApp/,Zeitung-Kiosk',
    },
  );

/** "de,en" -> ['de', 'en']; "none" -> []: the locales article(locale:) falls back to, in order. */
const localeFallback = z
  .string()
  .transform(value =>
    value.trim() === 'none' ? [] : value.split(',').map(locale => locale.trim()),
  )
  .refine(
    locales =>
      locales.length <= 10 &&
      new Set(locales).size === locales.length &&
      locales.every(locale => /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale)),
    {
      message:
        'expected none or a comma-separated list of at most 10 different BCP 47 tags such as de,en',
    },
  );

/**
 * CORS_ORIGINS: the browser origins that may call /graphql, POST /views and /exports (README
 * "Browser clients (CORS)"). Comma-separated origins as browsers send them, scheme://host[:port]
 * without a path; host:* allows any port of that host; "*" alone allows every origin (and then
 * never with credentials); "none" allows no origin. Unset: http://localhost:* and
 * http://127.0.0.1:* outside production, none in production.
 */
const corsOrigins = z.string().transform((value, ctx): CorsSettings => {
  const items = value.split(',').map(item => item.trim());
  if (items.length === 1 && items[0] === '*') return { anyOrigin: true, origins: [], anyPort: [] };
  if (items.length === 1 && items[0] === 'none')
    return { anyOrigin: false, origins: [], anyPort: [] };
  const settings = { anyOrigin: false, origins: [] as string[], anyPort: [] as string[] };
  for (const item of items) {
    const problem =
      item === '*' || item === 'none'
        ? `${item} must be the only value`
        : corsOriginProblem(item, settings);
    if (problem) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `expected origins such as https://app.example.com,http://localhost:* (scheme://host[:port] without a path, host:* for any port), * alone or none; ${JSON.stringify(item)}: ${problem}`,
      });
      return z.NEVER;
    }
  }
  return {
    ...settings,
    origins: Object.freeze(settings.origins),
    anyPort: Object.freeze(settings.anyPort),
  };
});

/** What is wrong with one listed origin, or null after adding it (normalized) to settings. */
function corsOriginProblem(
  item: string,
  settings: { origins: string[]; anyPort: string[] },
): string | null {
  const wildcard = item.endsWith(':*');
  const text = wildcard ? item.slice(0, -2) : item;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'expected http or https';
  if (url.username || url.password) return 'an origin has no user or password';
  if (!/^https?:\/\/[^/?#]+$/i.test(text)) return 'an origin has no path, query or fragment';
  if (wildcard && url.port) return 'give a port or :*, not both';
  // As a browser sends it: lower case, no default port (http://a.example:80 is http://a.example).
  (wildcard ? settings.anyPort : settings.origins).push(url.origin);
  return null;
}

/**
 * WEBHOOKS: endpoints managed by the setting, as a JSON array of
 * {"url": "https://...", "events": "article.*,tag.*", "secret": "whsec_..."} (events a list or a
 * comma-separated string; "*" is every event). Validated here; the patterns and the secret by the
 * same rules as `npm run webhooks -- add` (src/content/changes/webhooks/).
 */
const webhookEndpoints = z.string().transform((value, ctx): WebhookEndpointSetting[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  const entry = z.object({
    url: z
      .string()
      .url()
      .refine(url => /^https?:\/\//i.test(url), 'expected an http or https URL'),
    events: z.union([z.string(), z.array(z.string())]),
    secret: z.string().regex(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, 'expected whsec_ and base64'),
  });
  const result = z.array(entry).max(100).safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message:
        parsed === undefined
          ? 'expected a JSON array such as [{"url":"https://example.com/hook","events":"article.*","secret":"whsec_..."}]'
          : `expected [{"url","events","secret"}] entries; at ${issue.path.join('.') || 'the top'}: ${issue.message}`,
    });
    return z.NEVER;
  }
  const endpoints = result.data.map(item => ({
    url: item.url,
    events: (Array.isArray(item.events) ? item.events : item.events.split(','))
      .map(pattern => pattern.trim())
      .filter(pattern => pattern !== ''),
    secret: item.secret,
  }));
  const bad = endpoints.find(
    item =>
      item.events.length === 0 || !item.events.every(p => /^(\*|[a-z]+\.(\*|[a-z]+))$/.test(p)),
  );
  if (bad) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `expected events such as article.*,tag.updated or * for ${bad.url}, got ${JSON.stringify(bad.events.join(','))}`,
    });
    return z.NEVER;
  }
  return endpoints;
});

const databaseUrl = z
  .string()
  .min(1)
  .refine(value => /^(sqlite:|better-sqlite3:|postgres(ql)?:\/\/)/.test(value), {
    message:
      'expected sqlite:<file>, better-sqlite3:<file>, sqlite::memory: or postgres://user@host:port/database',
  });

/**
 * ARTICLE_URL_PATTERN: a path ("/artikel/{slug}") resolved against PUBLIC_URL, or an absolute
 * http(s) URL ("https://www.example.com/{locale}/{slug}"); {slug} once, {locale} at most once.
 */
const articleUrlPattern = z.string().refine(
  value => {
    const placeholders = value.match(/\{[^}]*\}/g) ?? [];
    const known = placeholders.every(p => p === '{slug}' || p === '{locale}');
    const once = (name: string) => placeholders.filter(p => p === name).length;
    if (!known || once('{slug}') !== 1 || once('{locale}') > 1) return false;
    if (/[\s"<>\\^`|]/.test(value)) return false;
    if (value.startsWith('/') && !value.startsWith('//')) return true;
    return /^https?:\/\/[^/?#\s]+\//.test(value);
  },
  {
    message:
      'expected a path such as /artikel/{slug} or an absolute URL such as https://www.example.com/{locale}/{slug}, with {slug} once and {locale} at most once',
  },
);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(0, 65535).default(4000),
  PUBLIC_URL: z.string().url('expected an absolute URL such as https://api.example.com').optional(),
  DATABASE_URL: databaseUrl.default('sqlite:./data/content-gateway.sqlite'),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a lower-case PostgreSQL schema name')
    .default('public'),
  // Read replicas (README "Read replicas"): PostgreSQL standbys for public reads.
  DATABASE_READ_URLS: z
    .string()
    .default('')
    .refine(
      value =>
        value
          .split(',')
          .map(url => url.trim())
          .filter(url => url !== '')
          .every(url => /^postgres(ql)?:\/\/[^\s,]+$/.test(url)),
      { message: 'expected comma-separated postgres://user@host:port/database URLs' },
    ),
  MIGRATIONS_RUN: bool.default('true'),
  DEMO_CONTENT: bool.default('true'),
  CONTENT_DIR: z.string().min(1).default('content/demo'),
  MEDIA_DIR: z.string().min(1).default('content/demo/media'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  INTROSPECTION: bool.optional(),
  SANDBOX: bool.optional(),
  // The reader site (site/) at /; on outside production, like Sandbox.
  DEMO_SITE: bool.optional(),
  // The example operations the explorer opens with (README "Exploring the API").
  EXPLORER_QUERIES_DIR: z.string().min(1).default('docs/queries'),
  READING_WORDS_PER_MINUTE: wordsPerMinute.default('de:179,en:228'),
  READING_SECONDS_PER_IMAGE: int(0, 600).default(12),
  // Translations: see README "Translations".
  LOCALE_FALLBACK: localeFallback.default('en'),
  CACHE_MAX_AGE_SECONDS: int(0, 86_400).default(300),
  TRENDING_HALF_LIFE_HOURS: positive.default(12),
  // View counting: see README "Counting views".
  VIEW_FLUSH_INTERVAL_MS: int(10, 60_000).default(1000),
  VIEW_DEDUPE_MINUTES: int(0, 1440).default(30),
  VIEW_RATE_PER_MINUTE: int(1, 1_000_000).default(120),
  VIEW_MEMORY_MAX_ENTRIES: int(1000, 100_000_000).default(1_000_000),
  HOURLY_RETENTION_DAYS: int(2, 3650).default(90),
  RANKING_SNAPSHOT_TTL_SECONDS: int(0, 3600).default(1),
  VIEW_STATS_MAX_BUCKETS: int(1, 100_000).default(1000),
  // The publisher's own apps: user agents that always count as readers (README "Counting views").
  READER_APP_AGENTS: readerAppAgents.default(''),
  // Query limits. Defaults from graphql-armor's (aliases 15, directives 50, tokens 1000);
  // depth and cost are sized so every query in the README and tests fits with room to spare.
  QUERY_MAX_DEPTH: int(1, 100).default(8),
  QUERY_MAX_COST: int(1, 10_000_000).default(5000),
  QUERY_MAX_ALIASES: int(0, 10_000).default(15),
  QUERY_MAX_DIRECTIVES: int(0, 10_000).default(50),
  QUERY_MAX_TOKENS: int(10, 1_000_000).default(1000),
  QUERY_MAX_LENGTH: int(100, 10_000_000).default(15_000),
  REQUEST_BODY_LIMIT_BYTES: int(1024, 100_000_000).default(102_400),
  // Rate limits per fixed window; 0 turns one limit off, RATE_LIMIT_ENABLED=false all of them.
  RATE_LIMIT_ENABLED: bool.default('true'),
  RATE_LIMIT_WINDOW_SECONDS: int(1, 86_400).default(60),
  RATE_LIMIT_PER_IP: int(0, 10_000_000).default(1200),
  RATE_LIMIT_PER_TOKEN: int(0, 10_000_000).default(6000),
  RATE_LIMIT_VIEWS_PER_IP: int(0, 10_000_000).default(600),
  RATE_LIMIT_VIEWS_PER_TOKEN: int(0, 10_000_000).default(6000),
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2}|[0-9A-Za-z.:/, ]+)$/, {
      message: 'expected false, true, a hop count or a list of proxy addresses/subnets',
    })
    .default('false'),
  // Editorial writes (README "Editing content"): mutations per token a minute (0: no limit; off
  // with RATE_LIMIT_ENABLED=false too), and revisions kept per article.
  WRITE_RATE_PER_MINUTE: int(0, 1_000_000).default(60),
  REVISIONS_KEPT: int(1, 10_000).default(50),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected redis://host:port or rediss://host:port')
    .optional(),
  REDIS_KEY_PREFIX: z.string().min(1).max(100).default('content-gateway:'),
  PERSISTED_QUERY_TTL_SECONDS: int(60, 31_536_000).default(604_800),
  // Slow clients: Node's own defaults hold a trickled body for 300 s and never cap
  // connections. The whole request within 30 s, its headers within 10 s (Node's 60 s is for
  // slow links; a header block is a few hundred bytes), an idle keep-alive socket 5 s (Node's),
  // and 1000 sockets at once (per process; beyond them a connection is closed at once).
  HTTP_REQUEST_TIMEOUT_MS: int(1000, 3_600_000).default(30_000),
  HTTP_HEADERS_TIMEOUT_MS: int(1000, 3_600_000).default(10_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int(1, 600_000).default(5000),
  HTTP_MAX_CONNECTIONS: int(1, 1_000_000).default(1000),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
  SHUTDOWN_DELAY_MS: int(0, 600_000).default(0),
  // Browser origins allowed by CORS (README "Browser clients (CORS)"); default by NODE_ENV.
  CORS_ORIGINS: corsOrigins.optional(),
  // V8's old-space limit; npm start passes it to node (--max-old-space-size). README "Memory".
  HEAP_MAX_MB: int(64, 1_048_576).default(256),
  // The key preview links are signed with (README "Preview"); outside production the gateway
  // makes one and keeps it in the database where this is unset.
  // Change events (README "Change events"): how often each process reads the outbox, and how
  // long events are kept for the changes query and late readers.
  CHANGE_POLL_MS: int(50, 600_000).default(1000),
  CHANGE_RETENTION_DAYS: int(1, 3650).default(30),
  PREVIEW_SECRET: z
    .string()
    .min(32, 'expected at least 32 characters, such as the output of openssl rand -base64 32')
    .max(200, 'expected at most 200 characters')
    .optional(),
  // Caching (README "Caching"): cache-tag headers, s-maxage and stale-while-revalidate for shared
  // caches, CDN purges on change, the gateway's own response cache. All off by default.
  CACHE_TAG_HEADER: z
    .string()
    .transform(value => value.toLowerCase())
    .pipe(
      z.enum(['off', 'cache-tag', 'surrogate-key'], {
        errorMap: () => ({ message: 'expected Cache-Tag, Surrogate-Key or off' }),
      }),
    )
    .default('off'),
  // 8 KB: half of Node's 16 KB header limit, and of Cloudflare's and Fastly's 16 KB tag limits.
  CACHE_TAG_MAX_BYTES: int(16, 16_000).default(8192),
  CACHE_S_MAXAGE_SECONDS: int(0, 31_536_000).optional(),
  CACHE_STALE_WHILE_REVALIDATE_SECONDS: int(0, 31_536_000).default(0),
  PURGE_ADAPTER: z.enum(['off', 'http', 'fastly', 'cloudflare']).default('off'),
  PURGE_URL: z
    .string()
    .url('expected an absolute URL such as https://purge.example.com/keys')
    .optional(),
  PURGE_TOKEN: z.string().min(1).max(1000).optional(),
  PURGE_FASTLY_SERVICE_ID: z
    .string()
    .regex(/^[A-Za-z0-9]{1,64}$/, 'expected a Fastly service id')
    .optional(),
  PURGE_CLOUDFLARE_ZONE_ID: z
    .string()
    .regex(/^[a-f0-9]{32}$/, 'expected a 32-hex Cloudflare zone id')
    .optional(),
  PURGE_RETRIES: int(0, 10).default(3),
  RESPONSE_CACHE: bool.default('false'),
  RESPONSE_CACHE_MAX_BYTES: int(1024, 17_179_869_184).default(33_554_432),
  // Feeds and sitemaps (README "Feeds and sitemaps"): where an article's page is (a path under
  // PUBLIC_URL, or an absolute URL, with {slug} and optionally {locale}), the site's name, items
  // per feed, and URLs per sitemap file (the sitemaps.org limit, 50,000, is the most).
  ARTICLE_URL_PATTERN: articleUrlPattern.default('/artikel/{slug}'),
  SITE_NAME: z.string().trim().min(1).max(200).default('content-gateway'),
  FEED_ITEMS: int(1, 100).default(20),
  SITEMAP_MAX_URLS: int(1, 50_000).default(50_000),
  // Signed webhooks (README "Webhooks"): endpoints from the setting (besides the command's), the
  // key that seals the command's secrets in the database, and the delivery schedule.
  WEBHOOKS: webhookEndpoints.default('[]'),
  WEBHOOK_SECRET_KEY: z
    .string()
    .refine(value => Buffer.from(value, 'base64').length === 32, {
      message: 'expected 32 bytes in base64, such as the output of openssl rand -base64 32',
    })
    .optional(),
  WEBHOOK_TIMEOUT_MS: int(100, 120_000).default(10_000),
  WEBHOOK_CONCURRENCY: int(1, 100).default(4),
  WEBHOOK_MAX_ATTEMPTS: int(1, 100).default(15),
  WEBHOOK_MAX_AGE_HOURS: positive.default(24),
  WEBHOOK_RETRY_BASE_MS: int(1, 3_600_000).default(5000),
  WEBHOOK_RETRY_MAX_MS: int(1, 86_400_000).default(3_600_000),
  WEBHOOK_LOG_RETENTION_DAYS: int(1, 3650).default(7),
  // The import's --download-media (README "Moving from WordPress"): the largest image it copies
  // into MEDIA_DIR, and how long one download may take.
  MEDIA_DOWNLOAD_MAX_BYTES: int(1, 2_000_000_000).default(20_000_000),
  MEDIA_DOWNLOAD_TIMEOUT_MS: int(100, 600_000).default(30_000),
});

export type DatabaseSettings =
  | {
      type: 'sqlite';
      database: string;
      url: string;
      /** The Node.js SQLite driver: sqlite3 (default) or better-sqlite3 (URL better-sqlite3:<file>). */
      driver?: 'sqlite3' | 'better-sqlite3';
    }
  | {
      type: 'postgres';
      url: string;
      poolSize: number;
      schema: string;
      /** DATABASE_READ_URLS: streaming standbys for public reads; empty for none. */
      readUrls: readonly string[];
    };

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly production: boolean;
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string | null;
  readonly database: Readonly<DatabaseSettings>;
  readonly migrationsRun: boolean;
  readonly demoContent: boolean;
  readonly contentDir: string;
  readonly mediaDir: string;
  readonly logLevel: string;
  readonly introspection: boolean;
  readonly sandbox: boolean;
  /** Serve the demo reader site (site/) at / and its assets under /site/. */
  readonly demoSite: boolean;
  /** The folder of example operations (*.graphql) the explorer opens as tabs. */
  readonly explorerQueriesDir: string;
  readonly readingWordsPerMinute: Readonly<Record<string, number>>;
  readonly readingSecondsPerImage: number;
  /** LOCALE_FALLBACK: the locales article(locale:) tries after the wanted one, in order. */
  readonly localeFallback: readonly string[];
  readonly cacheMaxAgeSeconds: number;
  readonly trendingHalfLifeHours: number;
  readonly views: Readonly<ViewSettings>;
  readonly limits: Readonly<QueryLimits>;
  readonly rateLimits: Readonly<RateLimits>;
  readonly editorial: Readonly<EditorialSettings>;
  /** express's 'trust proxy' value: how many proxies (or which addresses) may set X-Forwarded-For. */
  readonly trustProxy: boolean | number | string;
  readonly redisUrl: string | null;
  readonly redisKeyPrefix: string;
  readonly persistedQueryTtlSeconds: number;
  readonly http: Readonly<HttpSettings>;
  readonly shutdownTimeoutMs: number;
  /** How long /ready answers 503 while requests are still served, before the server stops accepting. */
  readonly shutdownDelayMs: number;
  /** The V8 old-space limit npm start runs node with; the process only checks it (heapLimit.ts). */
  readonly heapMaxMb: number;
  /** The `.env` file the settings were read with (under the environment's), or null. */
  readonly envFile: string | null;
  /** The browser origins CORS allows (CORS_ORIGINS). */
  readonly cors: Readonly<CorsSettings>;
  /** PREVIEW_SECRET: the preview-link key; null where unset (then generated, or off in production). */
  readonly previewSecret: string | null;
  /** Cache tags, shared-cache lifetimes, CDN purges, the response cache (README "Caching"). */
  readonly caching: Readonly<CachingSettings>;
  /** Feeds and sitemaps: article URLs, the site's name, sizes (README "Feeds and sitemaps"). */
  readonly feeds: Readonly<FeedSettings>;
  /** The outbox of change events: CHANGE_POLL_MS, CHANGE_RETENTION_DAYS. */
  readonly changes: Readonly<ChangeSettings>;
  /** Signed webhooks (WEBHOOKS, WEBHOOK_*). */
  readonly webhooks: Readonly<WebhookSettings>;
  /** The import's --download-media: MEDIA_DOWNLOAD_MAX_BYTES, MEDIA_DOWNLOAD_TIMEOUT_MS. */
  readonly mediaDownload: Readonly<{ maxBytes: number; timeoutMs: number }>;
}

/** What the feeds and sitemaps are built with (src/http/feedRoutes.ts). */
export interface FeedSettings {
  /** ARTICLE_URL_PATTERN: a path under PUBLIC_URL or an absolute URL, with {slug} (and {locale}). */
  articleUrlPattern: string;
  siteName: string;
  /** Items in each feed. */
  items: number;
  /** URLs per sitemap file; past it /sitemap.xml is an index of files of this many. */
  sitemapMaxUrls: number;
}

/** How the change feed reads and prunes the outbox (src/content/changes/changeFeed.ts). */
export interface ChangeSettings {
  pollMs: number;
  retentionDays: number;
}

/** README "Caching". */
export interface CachingSettings {
  /** The header public answers carry their cache keys in; null: none. */
  readonly tagHeader: 'Cache-Tag' | 'Surrogate-Key' | null;
  /** Beyond this the header carries the coarse `content` key instead. */
  readonly tagMaxBytes: number;
  /** s-maxage of public content answers; null: none (shared caches use max-age). */
  readonly sMaxAgeSeconds: number | null;
  /** stale-while-revalidate of public answers; 0: none. */
  readonly staleWhileRevalidateSeconds: number;
  /** Where changed keys are purged; null: nowhere. */
  readonly purge: Readonly<PurgeSettings> | null;
  /** The gateway's own cache of public answers (memory, or Redis with REDIS_URL); null: off. */
  readonly responseCache: Readonly<{ maxBytes: number }> | null;
}

/** A CDN purge endpoint (src/ops/cdnPurge/). */
export interface PurgeSettings {
  readonly adapter: 'http' | 'fastly' | 'cloudflare';
  /** The generic endpoint, or the Fastly or Cloudflare API base (another only for tests). */
  readonly url: string;
  readonly token: string | null;
  /** Fastly's service id or Cloudflare's zone id. */
  readonly target: string | null;
  /** Attempts after the first, with backoff. */
  readonly retries: number;
}

/** One endpoint of the WEBHOOKS setting. */
export interface WebhookEndpointSetting {
  readonly url: string;
  /** Event patterns: article.published, article.*, *. */
  readonly events: readonly string[];
  /** Standard Webhooks secret: whsec_ and base64 of 24 to 64 bytes. */
  readonly secret: string;
}

/** Signed webhooks: where, how they are retried, how long the log is kept (README "Webhooks"). */
export interface WebhookSettings {
  readonly endpoints: readonly WebhookEndpointSetting[];
  /** WEBHOOK_SECRET_KEY, 32 bytes: seals the command's endpoint secrets (AES-256-GCM); or null. */
  readonly secretKey: Buffer | null;
  /** One attempt's whole request, connect to last byte of the answer's head. */
  readonly timeoutMs: number;
  /** Requests in flight to one endpoint at most. */
  readonly concurrency: number;
  readonly maxAttempts: number;
  /** A delivery not done this long after its event is given up. */
  readonly maxAgeMs: number;
  /** The first retry's delay; each next one doubles, up to retryMaxMs, with jitter. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Finished deliveries and attempts are pruned after this. */
  readonly logRetentionMs: number;
}

/** Which browser origins may call the API (src/http/cors.ts applies it). */
export interface CorsSettings {
  /** Every origin, answered with `*` and never with credentials. */
  readonly anyOrigin: boolean;
  /** Exact origins as browsers send them: `https://app.example.com`, `http://localhost:5173`. */
  readonly origins: readonly string[];
  /** Origins allowed with any port (or none): `http://localhost` allows `http://localhost:5173`. */
  readonly anyPort: readonly string[];
}

/** Outside production any port of localhost and 127.0.0.1 (a front end's dev server); else none. */
const developmentCors: CorsSettings = {
  anyOrigin: false,
  origins: [],
  anyPort: Object.freeze(['http://localhost', 'http://127.0.0.1']),
};
const noCors: CorsSettings = {
  anyOrigin: false,
  origins: Object.freeze([]),
  anyPort: Object.freeze([]),
};

/** What one GraphQL request may ask for; checked before any resolver runs. */
export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxLength: number;
  bodyLimitBytes: number;
}

/** Requests a client may make per window; 0 means no limit. */
export interface RateLimits {
  enabled: boolean;
  windowSeconds: number;
  perIp: number;
  perToken: number;
  viewsPerIp: number;
  viewsPerToken: number;
}

/** Editorial writes: their rate per token and the revisions kept (README "Editing content"). */
export interface EditorialSettings {
  /** Mutations a token may make per minute; 0 is no limit. */
  writesPerMinute: number;
  revisionsKept: number;
}

/** What the HTTP server allows a client's connection (node:http's options of the same names). */
export interface HttpSettings {
  /** The whole request, headers and body, must arrive within this; else 408 and the socket closed. */
  requestTimeoutMs: number;
  /** The headers must arrive within this (at most requestTimeoutMs). */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open for the next request. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; one more is closed as soon as it is accepted. */
  maxConnections: number;
}

/** How views are counted, kept and ranked (README "Counting views"). */
export interface ViewSettings {
  flushIntervalMs: number;
  dedupeMinutes: number;
  ratePerMinute: number;
  memoryMaxEntries: number;
  hourlyRetentionDays: number;
  snapshotTtlSeconds: number;
  statsMaxBuckets: number;
  /** READER_APP_AGENTS, lower-cased: user agents containing one are readers, never bots. */
  readerAppAgents: readonly string[];
}

/** Thrown for a setting that does not validate; its message is the one line the operator sees. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** better-sqlite3 is opt-in (`npm install` would compile it from source): the command that adds it. */
export const betterSqlite3Install = 'npm install --no-save better-sqlite3@12.4.1';

/** Whether a package can be loaded from here (better-sqlite3 is not, after a plain `npm install`). */
export function packageInstalled(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

function parseDatabase(
  url: string,
  poolSize: number,
  schema: string,
  readUrlList: string,
): DatabaseSettings {
  const readUrls = readUrlList
    .split(',')
    .map(readUrl => readUrl.trim())
    .filter(readUrl => readUrl !== '');
  const sqlite = /^(sqlite|better-sqlite3):(.*)$/.exec(url);
  if (sqlite && readUrls.length > 0) {
    // A standby of a SQLite file does not exist: the setting would be silently ignored.
    throw new ConfigError(
      `Invalid setting DATABASE_READ_URLS: read replicas need a postgres:// DATABASE_URL, got "${url}".`,
    );
  }
  if (sqlite) {
    const file = sqlite[2];
    if (sqlite[1] === 'better-sqlite3' && !packageInstalled('better-sqlite3')) {
      throw new ConfigError(
        `Invalid setting DATABASE_URL: "${url}" asks for the better-sqlite3 driver, which is not ` +
          `installed (it is opt-in). Run \`${betterSqlite3Install}\`, or use sqlite:${file} ` +
          '(the default sqlite3 driver).',
      );
    }
    return {
      type: 'sqlite',
      database: file === ':memory:' ? ':memory:' : path.resolve(file),
      url,
      driver: sqlite[1] === 'better-sqlite3' ? 'better-sqlite3' : 'sqlite3',
    };
  }
  return { type: 'postgres', url, poolSize, schema, readUrls: Object.freeze(readUrls) };
}

/** "false" -> false, "2" -> 2 hops, "loopback, 10.0.0.0/8" -> as is (express parses the list). */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** The name of every setting, for the docs check (README table and .env.example). */
export const settingNames: readonly string[] = Object.keys(schema.shape);

/**
 * Reads `.env` in the working directory into process.env, where there is one, with Node's own
 * parser (process.loadEnvFile, the --env-file format): a variable already set in the environment
 * wins over the file's (Node's contract, nodejs/node#49424). Returns the file's path, or null
 * where there is none.
 */
export function loadEnvFile(dir: string = process.cwd()): string | null {
  const file = path.join(dir, '.env');
  try {
    if (typeof process.loadEnvFile !== 'function') {
      // Node.js 20.0 to 20.11: only say so where there is a file it would have read.
      readFileSync(file);
      throw new ConfigError(
        `${file} is read on Node.js 20.12 or newer; this is ${process.version}.`,
      );
    }
    process.loadEnvFile(file);
    return file;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`Cannot read ${file}: ${(error as Error).message}`);
  }
}

/**
 * Reads and validates the settings from an environment: process.env by default, with `.env`
 * read into it first (loadEnvFile). Throws a ConfigError naming the first bad setting, what it
 * expected and what arrived.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const envFile = env === process.env ? loadEnvFile() : null;
  const raw = Object.fromEntries(
    Object.keys(schema.shape).map(key => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue.path[0]);
    throw new ConfigError(
      `Invalid setting ${key}: ${issue.message}, got ${JSON.stringify(env[key])}.`,
    );
  }
  const s = parsed.data;
  if (s.HTTP_HEADERS_TIMEOUT_MS > s.HTTP_REQUEST_TIMEOUT_MS) {
    // node:http refuses to start with it: the headers are a part of the request.
    throw new ConfigError(
      `Invalid setting HTTP_HEADERS_TIMEOUT_MS: expected at most HTTP_REQUEST_TIMEOUT_MS (${s.HTTP_REQUEST_TIMEOUT_MS}), got ${JSON.stringify(env.HTTP_HEADERS_TIMEOUT_MS)}.`,
    );
  }
  // A fallback locale must be a language the gateway has a reading rate (and so a label) for.
  const unsupported = s.LOCALE_FALLBACK.find(
    locale => !(locale.split('-')[0] in s.READING_WORDS_PER_MINUTE),
  );
  if (unsupported !== undefined) {
    throw new ConfigError(
      `Invalid setting LOCALE_FALLBACK: expected languages of READING_WORDS_PER_MINUTE (${Object.keys(s.READING_WORDS_PER_MINUTE).join(', ')}), got ${JSON.stringify(env.LOCALE_FALLBACK ?? 'en')}.`,
    );
  }
  const production = s.NODE_ENV === 'production';
  const caching = parseCaching(s, env);
  return Object.freeze({
    env: s.NODE_ENV,
    production,
    host: s.HOST,
    port: s.PORT,
    publicUrl: s.PUBLIC_URL ?? null,
    database: Object.freeze(
      parseDatabase(s.DATABASE_URL, s.DATABASE_POOL_SIZE, s.DATABASE_SCHEMA, s.DATABASE_READ_URLS),
    ),
    migrationsRun: s.MIGRATIONS_RUN,
    demoContent: s.DEMO_CONTENT,
    contentDir: path.resolve(s.CONTENT_DIR),
    mediaDir: path.resolve(s.MEDIA_DIR),
    logLevel: s.LOG_LEVEL,
    introspection: s.INTROSPECTION ?? !production,
    sandbox: s.SANDBOX ?? !production,
    demoSite: s.DEMO_SITE ?? !production,
    explorerQueriesDir: path.resolve(s.EXPLORER_QUERIES_DIR),
    readingWordsPerMinute: Object.freeze(s.READING_WORDS_PER_MINUTE),
    readingSecondsPerImage: s.READING_SECONDS_PER_IMAGE,
    localeFallback: Object.freeze(s.LOCALE_FALLBACK),
    cacheMaxAgeSeconds: s.CACHE_MAX_AGE_SECONDS,
    trendingHalfLifeHours: s.TRENDING_HALF_LIFE_HOURS,
    views: Object.freeze({
      flushIntervalMs: s.VIEW_FLUSH_INTERVAL_MS,
      dedupeMinutes: s.VIEW_DEDUPE_MINUTES,
      ratePerMinute: s.VIEW_RATE_PER_MINUTE,
      memoryMaxEntries: s.VIEW_MEMORY_MAX_ENTRIES,
      hourlyRetentionDays: s.HOURLY_RETENTION_DAYS,
      snapshotTtlSeconds: s.RANKING_SNAPSHOT_TTL_SECONDS,
      statsMaxBuckets: s.VIEW_STATS_MAX_BUCKETS,
      readerAppAgents: Object.freeze(s.READER_APP_AGENTS),
    }),
    limits: Object.freeze({
      maxDepth: s.QUERY_MAX_DEPTH,
      maxCost: s.QUERY_MAX_COST,
      maxAliases: s.QUERY_MAX_ALIASES,
      maxDirectives: s.QUERY_MAX_DIRECTIVES,
      maxTokens: s.QUERY_MAX_TOKENS,
      maxLength: s.QUERY_MAX_LENGTH,
      bodyLimitBytes: s.REQUEST_BODY_LIMIT_BYTES,
    }),
    rateLimits: Object.freeze({
      enabled: s.RATE_LIMIT_ENABLED,
      windowSeconds: s.RATE_LIMIT_WINDOW_SECONDS,
      perIp: s.RATE_LIMIT_PER_IP,
      perToken: s.RATE_LIMIT_PER_TOKEN,
      viewsPerIp: s.RATE_LIMIT_VIEWS_PER_IP,
      viewsPerToken: s.RATE_LIMIT_VIEWS_PER_TOKEN,
    }),
    editorial: Object.freeze({
      writesPerMinute: s.RATE_LIMIT_ENABLED ? s.WRITE_RATE_PER_MINUTE : 0,
      revisionsKept: s.REVISIONS_KEPT,
    }),
    trustProxy: parseTrustProxy(s.TRUST_PROXY),
    redisUrl: s.REDIS_URL ?? null,
    redisKeyPrefix: s.REDIS_KEY_PREFIX,
    persistedQueryTtlSeconds: s.PERSISTED_QUERY_TTL_SECONDS,
    http: Object.freeze({
      requestTimeoutMs: s.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: s.HTTP_HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: s.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: s.HTTP_MAX_CONNECTIONS,
    }),
    shutdownTimeoutMs: s.SHUTDOWN_TIMEOUT_MS,
    shutdownDelayMs: s.SHUTDOWN_DELAY_MS,
    heapMaxMb: s.HEAP_MAX_MB,
    envFile,
    cors: Object.freeze(s.CORS_ORIGINS ?? (production ? noCors : developmentCors)),
    previewSecret: s.PREVIEW_SECRET ?? null,
    feeds: Object.freeze({
      articleUrlPattern: s.ARTICLE_URL_PATTERN,
      siteName: s.SITE_NAME,
      items: s.FEED_ITEMS,
      sitemapMaxUrls: s.SITEMAP_MAX_URLS,
    }),
    changes: Object.freeze({
      pollMs: s.CHANGE_POLL_MS,
      retentionDays: s.CHANGE_RETENTION_DAYS,
    }),
    webhooks: Object.freeze({
      endpoints: Object.freeze(s.WEBHOOKS.map(endpoint => Object.freeze(endpoint))),
      secretKey: s.WEBHOOK_SECRET_KEY ? Buffer.from(s.WEBHOOK_SECRET_KEY, 'base64') : null,
      timeoutMs: s.WEBHOOK_TIMEOUT_MS,
      concurrency: s.WEBHOOK_CONCURRENCY,
      maxAttempts: s.WEBHOOK_MAX_ATTEMPTS,
      maxAgeMs: s.WEBHOOK_MAX_AGE_HOURS * 3_600_000,
      retryBaseMs: s.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: s.WEBHOOK_RETRY_MAX_MS,
      logRetentionMs: s.WEBHOOK_LOG_RETENTION_DAYS * 86_400_000,
    }),
    caching,
    mediaDownload: Object.freeze({
      maxBytes: s.MEDIA_DOWNLOAD_MAX_BYTES,
      timeoutMs: s.MEDIA_DOWNLOAD_TIMEOUT_MS,
    }),
  });
}

const purgeApis = {
  fastly: { base: 'https://api.fastly.com', target: 'PURGE_FASTLY_SERVICE_ID' },
  cloudflare: { base: 'https://api.cloudflare.com/client/v4', target: 'PURGE_CLOUDFLARE_ZONE_ID' },
} as const;

/** The caching block of the config, with the settings each purge adapter needs. */
function parseCaching(s: z.infer<typeof schema>, env: NodeJS.ProcessEnv): CachingSettings {
  const tagHeaders = {
    off: null,
    'cache-tag': 'Cache-Tag',
    'surrogate-key': 'Surrogate-Key',
  } as const;
  let purge: PurgeSettings | null = null;
  const need = (key: string, what: string) => {
    throw new ConfigError(
      `Invalid setting ${key}: expected ${what} with PURGE_ADAPTER=${s.PURGE_ADAPTER}, got ${JSON.stringify(env[key])}.`,
    );
  };
  if (s.PURGE_ADAPTER === 'http') {
    if (!s.PURGE_URL) need('PURGE_URL', 'the purge endpoint URL');
    purge = {
      adapter: 'http',
      url: s.PURGE_URL as string,
      token: s.PURGE_TOKEN ?? null,
      target: null,
      retries: s.PURGE_RETRIES,
    };
  } else if (s.PURGE_ADAPTER !== 'off') {
    const api = purgeApis[s.PURGE_ADAPTER];
    const target =
      s.PURGE_ADAPTER === 'fastly' ? s.PURGE_FASTLY_SERVICE_ID : s.PURGE_CLOUDFLARE_ZONE_ID;
    if (!target) need(api.target, 'the id to purge');
    if (!s.PURGE_TOKEN) need('PURGE_TOKEN', 'an API token');
    purge = {
      adapter: s.PURGE_ADAPTER,
      url: s.PURGE_URL ?? api.base,
      token: s.PURGE_TOKEN ?? null,
      target: target ?? null,
      retries: s.PURGE_RETRIES,
    };
  }
  return Object.freeze({
    tagHeader: tagHeaders[s.CACHE_TAG_HEADER],
    tagMaxBytes: s.CACHE_TAG_MAX_BYTES,
    sMaxAgeSeconds: s.CACHE_S_MAXAGE_SECONDS ?? null,
    staleWhileRevalidateSeconds: s.CACHE_STALE_WHILE_REVALIDATE_SECONDS,
    purge: purge && Object.freeze(purge),
    responseCache: s.RESPONSE_CACHE
      ? Object.freeze({ maxBytes: s.RESPONSE_CACHE_MAX_BYTES })
      : null,
  });
}
