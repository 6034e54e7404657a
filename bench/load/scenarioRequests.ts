import { createHash } from 'node:crypto';
import type { BenchDatabase } from '../dataset/BenchDatabase';
import { Random } from '../dataset/random';
import {
  articleBarePageQuery,
  articlePageQuery,
  type Features,
  isCached,
  listingPageQuery,
  mostReadQuery,
  recordViewQuery,
  type ScenarioName,
  tagPageQuery,
  uncachedOf,
  viewStatsQuery,
} from '../scenarios';
import type { LoadRequest } from './runLoad';

/** What requests are drawn from: the public articles and the tags of the dataset. */
export interface RequestPool {
  articles: { slug: string; publishedAt: number; id: number }[];
  tags: string[];
}

export async function loadRequestPool(db: BenchDatabase, now: number): Promise<RequestPool> {
  const articles = await db.query<{ slug: string; published_at: number; internal_id: number }>(
    db.dialect === 'sqlite'
      ? "SELECT slug, published_at, internal_id FROM article WHERE status = 'PUBLISHED' AND published_at <= ? ORDER BY internal_id"
      : "SELECT slug, published_at, internal_id FROM article WHERE status = 'PUBLISHED' AND published_at <= $1 ORDER BY internal_id",
    [now],
  );
  const tags = await db.query<{ slug: string }>('SELECT slug FROM tag ORDER BY internal_id');
  return {
    articles: articles.map(row => ({
      slug: row.slug,
      publishedAt: Number(row.published_at),
      id: Number(row.internal_id),
    })),
    tags: tags.map(row => row.slug),
  };
}

const day = 86_400_000;

/**
 * The request of a scenario: a body generator that varies slugs, tags, cursors and visitors from
 * request to request (so no answer comes from one hot row), and a check of the data returned.
 */
export function scenarioRequest(
  name: ScenarioName,
  pool: RequestPool,
  features: Features,
  options: { seed: number; token?: string; visitorPrefix: string },
): LoadRequest {
  if (isCached(name)) return persisted(scenarioRequest(uncachedOf[name], pool, features, options));
  const random = new Random(options.seed);
  const article = () => random.pick(pool.articles);
  const json = (operationName: string, query: string, variables: Record<string, unknown>) =>
    JSON.stringify({ operationName, query, variables });
  switch (name) {
    case 'article': {
      const query = articlePageQuery(features);
      return {
        body: () => json('ArticlePage', query, { slug: article().slug }),
        check: data => {
          const d = data as { article?: { related?: unknown[] } | null; mostRead?: unknown };
          if (!d?.article) return 'article is null for a public slug';
          if (!Array.isArray(d.article.related)) return 'no related list';
          if (features.views && !d.mostRead) return 'no mostRead';
          return null;
        },
      };
    }
    case 'articleBare': {
      const query = articleBarePageQuery(features);
      return {
        body: () => json('ArticlePageBare', query, { slug: article().slug }),
        check: data => {
          const d = data as { article?: { related?: unknown[] } | null };
          if (!d?.article) return 'article is null for a public slug';
          return Array.isArray(d.article.related) ? null : 'no related list';
        },
      };
    }
    case 'listing': {
      const query = listingPageQuery(features);
      return {
        body: () => {
          // The first page one time in ten, else a page after a random article's cursor.
          if (random.chance(0.1)) return json('ListingPage', query, { after: null });
          const from = article();
          const after = Buffer.from(
            JSON.stringify(['PUBLISHED_AT_DESC', from.publishedAt, from.id]),
          ).toString('base64url');
          return json('ListingPage', query, { after });
        },
        check: data => {
          const edges = (data as { articles?: { edges?: unknown[] } })?.articles?.edges;
          return Array.isArray(edges) ? null : 'no edges';
        },
      };
    }
    case 'tag':
      return {
        body: () => json('TagPage', tagPageQuery, { slug: random.pick(pool.tags) }),
        check: data => {
          const tag = (data as { tag?: { articles?: { edges?: unknown[] } } | null })?.tag;
          if (!tag) return 'tag is null for a known slug';
          return Array.isArray(tag.articles?.edges) ? null : 'no edges';
        },
      };
    case 'mostRead':
      return {
        body: () => json('MostRead', mostReadQuery, {}),
        check: data => {
          const edges = (data as { mostRead?: { edges?: unknown[] } })?.mostRead?.edges;
          return Array.isArray(edges) && edges.length > 0 ? null : 'empty mostRead';
        },
      };
    // The floor (Apollo Server alone) takes the mutation the gateway takes.
    case 'recordView':
    case 'apolloFloor': {
      let visitor = 0;
      return {
        body: () => {
          visitor += 1;
          return json('RecordView', recordViewQuery, {
            slug: article().slug,
            visitorId: `${options.visitorPrefix}-${visitor}`,
          });
        },
        check: data => {
          const payload = (data as { recordView?: { counted?: boolean } })?.recordView;
          return payload?.counted === true ? null : `not counted: ${JSON.stringify(payload)}`;
        },
      };
    }
    case 'viewBeacon': {
      // The gateway's POST /views, as navigator.sendBeacon sends it; the baseline answers it as
      // recordView (runBench sends it that request instead).
      let visitor = 0;
      return {
        path: '/views',
        contentType: 'text/plain;charset=UTF-8',
        body: () => {
          visitor += 1;
          return JSON.stringify({
            slug: article().slug,
            visitorId: `${options.visitorPrefix}-${visitor}`,
          });
        },
        check: answer => {
          const counted = (answer as { counted?: boolean } | undefined)?.counted;
          return counted === true ? null : `not counted: ${JSON.stringify(answer)}`;
        },
      };
    }
    case 'viewStats': {
      const headers: Record<string, string> = options.token
        ? { authorization: `Bearer ${options.token}` }
        : {};
      return {
        headers,
        body: () => {
          const today = Math.floor(Date.now() / day) * day;
          const picked = new Set<number>();
          while (picked.size < Math.min(100, pool.articles.length)) {
            picked.add(random.int(0, pool.articles.length - 1));
          }
          const slugs = [...picked].map(i => pool.articles[i].slug);
          return json('ViewStats', viewStatsQuery, {
            from: new Date(today - 29 * day).toISOString(),
            to: new Date(today + day).toISOString(),
            slugs,
          });
        },
        check: data => {
          const edges = (data as { viewStats?: { edges?: unknown[] } })?.viewStats?.edges;
          return Array.isArray(edges) && edges.length === 100
            ? null
            : `expected 100 series, got ${Array.isArray(edges) ? edges.length : 'none'}`;
        },
      };
    }
  }
}

/**
 * A scenario's requests as persisted queries: the same operation name and variables with the
 * query's SHA-256 in extensions.persistedQuery and no query text (registered first: see
 * `registration`).
 */
export function persisted(request: LoadRequest): LoadRequest {
  const hashes = new Map<string, string>();
  return {
    ...request,
    body: () => {
      const { query, ...rest } = JSON.parse(request.body()) as { query: string };
      let sha256Hash = hashes.get(query);
      if (!sha256Hash)
        hashes.set(query, (sha256Hash = createHash('sha256').update(query).digest('hex')));
      return JSON.stringify({
        ...rest,
        extensions: { persistedQuery: { version: 1, sha256Hash } },
      });
    },
  };
}

/** The body that registers a request's persisted query with a gateway: hash and query text. */
export function registration(request: LoadRequest): string {
  const parsed = JSON.parse(request.body()) as { query: string };
  const sha256Hash = createHash('sha256').update(parsed.query).digest('hex');
  return JSON.stringify({ ...parsed, extensions: { persistedQuery: { version: 1, sha256Hash } } });
}
