import type { TestGateway } from './testGateway';

/** A desktop browser's user agent: Node's fetch sends "node", which isbot rightly calls a bot. */
export const browserAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export const recordViewMutation = /* GraphQL */ `
  mutation RecordView($input: RecordViewInput!) {
    recordView(input: $input) {
      counted
      reason
      article {
        slug
      }
    }
  }
`;

export const mostReadQuery = /* GraphQL */ `
  query MostRead(
    $first: Int
    $after: String
    $window: ViewWindow
    $metric: RankingMetric
    $filter: MostReadFilter
  ) {
    mostRead(first: $first, after: $after, window: $window, metric: $metric, filter: $filter) {
      edges {
        cursor
        rank
        score
        views
        uniqueVisitors
        node {
          slug
          viewCount(window: $window)
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        endCursor
      }
      window
      metric
      computedAt
      isFallback
    }
  }
`;

export interface RankedEdge {
  cursor: string;
  rank: number;
  score: number;
  views: number;
  uniqueVisitors: number;
  node: { slug: string; viewCount: number };
}

export interface MostReadResult {
  mostRead: {
    edges: RankedEdge[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
    window: string;
    metric: string;
    computedAt: string;
    isFallback: boolean;
  };
}

/** Sends one recordView as a browser would; returns whether it counted (throws on errors). */
export async function view(
  gateway: TestGateway,
  slug: string,
  visitorId: string | null,
  headers: Record<string, string> = {},
): Promise<boolean> {
  const { body } = await gateway.gql<{ recordView: { counted: boolean } }>(
    recordViewMutation,
    { input: { slug, visitorId } },
    { 'user-agent': browserAgent, ...headers },
  );
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!.recordView.counted;
}

/** mostRead's data, failing the test on errors. */
export async function mostRead(
  gateway: TestGateway,
  variables: Record<string, unknown> = {},
): Promise<MostReadResult['mostRead']> {
  const { body } = await gateway.gql<MostReadResult>(mostReadQuery, variables);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!.mostRead;
}
