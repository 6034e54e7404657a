import fs from 'node:fs';
import path from 'node:path';
import {
  peerArticlePage,
  peerArticlePageQuery,
  peerListingCursor,
  peerListingPage,
  peerListingPageQuery,
  peerTagPage,
  peerTagPageQuery,
} from './peerPages';
import { Random } from '../dataset/random';
import { freePort, type Server, startNode } from '../load/processes';
import type { LoadRequest } from '../load/runLoad';
import type { RequestPool } from '../load/scenarioRequests';
import type { Features, ScenarioName } from '../scenarios';

/** What the peer is compared on: its request for a scenario's draw, and its answer mapped. */
export interface PeerPage {
  request: (seed: number) => LoadRequest;
  /** The peer's data in the gateway's names and shapes (bench/peer/peerPages.ts). */
  mapped: (data: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * The peer's version of a scenario, or null where it has none. The draws are the gateway's own
 * (scenarioRequests.ts: the same Random, seed and pool), so with the same seed both are asked
 * for the same articles in the same order.
 */
export function peerPage(
  name: ScenarioName,
  pool: RequestPool,
  features: Features,
): PeerPage | null {
  const json = (operationName: string, query: string, variables: Record<string, unknown>) =>
    JSON.stringify({ operationName, query, variables });
  const has = (field: string) => (data: unknown) =>
    (data as Record<string, unknown>)?.[field] ? null : `${field} is null`;
  switch (name) {
    case 'articleBare':
      return {
        request: seed => {
          const random = new Random(seed);
          return {
            body: () =>
              json('ArticlePage', peerArticlePageQuery, {
                slug: random.pick(pool.articles).slug,
              }),
            check: has('publicArticle'),
          };
        },
        mapped: peerArticlePage,
      };
    case 'tag':
      return {
        request: seed => {
          const random = new Random(seed);
          return {
            body: () => json('TagPage', peerTagPageQuery, { slug: random.pick(pool.tags) }),
            check: has('tagBySlug'),
          };
        },
        mapped: peerTagPage,
      };
    case 'listing': {
      const query = peerListingPageQuery(features.views);
      return {
        // The gateway's draws (scenarioRequests.ts 'listing'): the first page one time in ten,
        // else the page after a random article; the same calls of the same Random.
        request: seed => {
          const random = new Random(seed);
          return {
            body: () => {
              const now = String(Date.now());
              if (random.chance(0.1)) return json('ListingPage', query, { after: null, now });
              const from = random.pick(pool.articles);
              return json('ListingPage', query, {
                after: peerListingCursor(from.publishedAt, from.id),
                now,
              });
            },
            check: has('articles'),
          };
        },
        mapped: peerListingPage,
      };
    }
    default:
      return null;
  }
}

/** PostGraphile 4 over the dataset's schema (bench/peer/peerServer.cjs), ready to answer. */
export async function startPeer(options: {
  root: string;
  postgresUrl: string;
  schema: string;
  baseUrl: string;
  logFile: string;
}): Promise<Server> {
  const installed = path.join(options.root, 'bench', 'peer', 'node_modules', 'postgraphile');
  if (!fs.existsSync(installed)) {
    throw new Error('--peer postgraphile: install the peer first: npm ci --prefix bench/peer');
  }
  const port = await freePort();
  return startNode({
    name: 'PostGraphile 4',
    // Run from its own folder, so it loads bench/peer/node_modules (graphql 15).
    script: path.join(options.root, 'bench', 'peer', 'peerServer.cjs'),
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PEER_PORT: String(port),
      PEER_POSTGRES_URL: options.postgresUrl,
      PEER_POSTGRES_SCHEMA: options.schema,
      PEER_BASE_URL: options.baseUrl,
    },
    port,
    readyPath: '/ready',
    logFile: options.logFile,
  });
}
