import { anonymousViewer, type Viewer } from './access/viewer';
import type { Config } from './config';
import type { EditorialServices } from './content/editorial/editorialServices';
import type { ReadRoute, Sql, SqlReader } from './db/SqlReader';
import { AnswerKeys } from './loaders/answerKeys';
import { createLoaders, type Loaders } from './loaders/createLoaders';
import type { Clock } from './ops/clock';
import type { RequestScope } from './ops/requestScope';
import type { RequestFacts } from './views/viewGuard';
import type { ViewServices } from './views/viewServices';

/** Request facts for recordView's guard only: never stored, never logged. */
export const noRequestFacts: RequestFacts = { ip: null, userAgent: null, purpose: null };

export interface Context {
  /** Read statements of this request, counted into its scope. */
  sql: Sql;
  /**
   * Where `sql` reads: the primary until readRoutingPlugin finds the operation a public read (a
   * read replica then, where DATABASE_READ_URLS is set).
   */
  reads: ReadRoute;
  /** The request's id, the statements it ran, its cost: what the log line and headers report. */
  scope: RequestScope;
  config: Config;
  /** The request's one "now": every public-visibility check in a request uses the same instant. */
  now: Date;
  clock: Clock;
  loaders: Loaders;
  /** The cache keys of what this request's answer contains (Cache-Tag, the response cache). */
  keys: AnswerKeys;
  viewer: Viewer;
  /** Where relative media paths are served from: PUBLIC_URL, else the request's own origin. */
  baseUrl: string;
  views: ViewServices;
  /** IP, user agent and purpose headers, for recordView's guard only; never stored or logged. */
  request: RequestFacts;
  /** What the editorial mutations write with. */
  editorial: EditorialServices;
}

export interface ContextOptions {
  reader: SqlReader;
  scope: RequestScope;
  config: Config;
  clock: Clock;
  /** The request's instant, where the caller has read the clock already; else read here. */
  now?: Date;
  viewer?: Viewer;
  baseUrl?: string;
  views: ViewServices;
  request?: RequestFacts;
  editorial: EditorialServices;
}

/** The context of one request: its own loaders, its viewer and the instant it runs at. */
export function createContext(options: ContextOptions): Context {
  const now = options.now ?? options.clock();
  const { scope } = options;
  const reads: ReadRoute = { replica: false };
  const sql = options.reader.counting(scope, reads);
  const keys = new AnswerKeys();
  return {
    sql,
    reads,
    scope,
    config: options.config,
    now,
    clock: options.clock,
    loaders: createLoaders(sql, now, options.views.rankings, keys),
    keys,
    viewer: options.viewer ?? anonymousViewer,
    baseUrl:
      options.config.publicUrl ?? options.baseUrl ?? `http://localhost:${options.config.port}`,
    views: options.views,
    request: options.request ?? noRequestFacts,
    editorial: options.editorial,
  };
}
