/**
 * The six page scenarios as GraphQL operations, with two more: viewBeacon (recordView as
 * POST /views) and apolloFloor (recordView on Apollo Server alone, bench/floor/apolloFloorServer.ts).
 * The gateway runs them as GraphQL; the
 * baseline (baseline/baselineServer.ts) answers the same operation names and variables with
 * hand-written SQL and the same JSON shape, so one request list drives both.
 */
export type ScenarioName =
  | 'article'
  | 'articleBare'
  | 'listing'
  | 'tag'
  | 'mostRead'
  | 'recordView'
  | 'viewBeacon'
  | 'apolloFloor'
  | 'viewStats'
  | CachedScenarioName;

/**
 * The page scenarios again through the gateway's response cache (RESPONSE_CACHE, README
 * "Caching"): the same operations and variables sent as persisted queries (hash only, no query
 * text, as Apollo Client's persisted-query link sends them), so repeated pages are answered
 * without a resolver or SQL. The baseline answers the uncached operation, as for the page itself.
 */
export type CachedScenarioName = 'articleCached' | 'listingCached' | 'tagCached';

export const uncachedOf: Readonly<Record<CachedScenarioName, ScenarioName>> = {
  articleCached: 'article',
  listingCached: 'listing',
  tagCached: 'tag',
};

export function isCached(name: ScenarioName): name is CachedScenarioName {
  return name in uncachedOf;
}

export const scenarioNames: ScenarioName[] = [
  'article',
  'articleBare',
  'listing',
  'tag',
  'mostRead',
  'recordView',
  'viewBeacon',
  'apolloFloor',
  'viewStats',
  'articleCached',
  'listingCached',
  'tagCached',
];

export interface Features {
  /** Query.mostRead, Mutation.recordView, Query.viewStats and real viewCount. */
  views: boolean;
  /** The rollup of the current hour (article_view_recent), which every view read must include. */
  recentViews: boolean;
}

const card =
  'id slug title excerpt publishedAt readingTime { minutes label } mainImage { url alt width height }';

export function articlePageQuery(features: Features): string {
  return `query ArticlePage($slug: String!) {
  article(slug: $slug) {
    id slug title excerpt locale publishedAt updatedAt
    body
    headings { level text anchor }
    readingTime { minutes label }
    mainImage { url alt width height }
    authors { id slug name avatar { url } }
    tags { id slug name }
    related(first: 3) { id slug title excerpt publishedAt mainImage { url alt } }
  }${features.views ? '\n  mostRead(first: 3, window: LAST_7_DAYS) { edges { rank node { id slug title } } }' : ''}
}`;
}

/**
 * The article page without the sidebar (no mostRead): the page the peer (PostGraphile, --peer)
 * is compared on, the gateway and the baseline answering the same operation.
 */
export function articleBarePageQuery(features: Features): string {
  return articlePageQuery({ ...features, views: false }).replace(
    'query ArticlePage(',
    'query ArticlePageBare(',
  );
}

export function listingPageQuery(features: Features): string {
  return `query ListingPage($after: String) {
  articles(first: 20, after: $after) {
    edges { cursor node { ${card} primaryAuthor { id slug name } tags { slug name }${features.views ? ' viewCount' : ''} } }
    pageInfo { hasNextPage endCursor }
  }
}`;
}

export const tagPageQuery = `query TagPage($slug: String!) {
  tag(slug: $slug) {
    id slug name description articleCount
    articles(first: 20) {
      edges { cursor node { ${card} primaryAuthor { id slug name } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

export const mostReadQuery = `query MostRead {
  mostRead(first: 10, window: LAST_7_DAYS) {
    edges { rank views node { id slug title } }
  }
}`;

export const recordViewQuery = `mutation RecordView($slug: String!, $visitorId: String!) {
  recordView(input: { slug: $slug, visitorId: $visitorId }) { counted }
}`;

export const viewStatsQuery = `query ViewStats($from: DateTime!, $to: DateTime!, $slugs: [String!]!) {
  viewStats(from: $from, to: $to, granularity: DAY, slugs: $slugs, first: 100) {
    edges { node { article { slug } total points { start views } } }
  }
}`;
