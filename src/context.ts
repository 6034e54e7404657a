import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { createLoaders, type Loaders } from './loaders/createLoaders';

/** Where the gateway reads the time; tests pass a clock they can move. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** Who is asking: anonymous, or a token with scopes. */
export interface Viewer {
  tokenName: string | null;
  scopes: ReadonlySet<string>;
}

export const anonymousViewer: Viewer = { tokenName: null, scopes: new Set() };

export interface Context {
  db: DataSource;
  config: Config;
  /** The request's one "now": every public-visibility check in a request uses the same instant. */
  now: Date;
  clock: Clock;
  loaders: Loaders;
  viewer: Viewer;
  requestId: string;
  /** Where relative media paths are served from: PUBLIC_URL, else the request's own origin. */
  baseUrl: string;
}

export interface ContextOptions {
  db: DataSource;
  config: Config;
  clock: Clock;
  viewer?: Viewer;
  requestId?: string;
  baseUrl?: string;
}

/** The context of one request: its own loaders, its viewer and the instant it runs at. */
export function createContext(options: ContextOptions): Context {
  const now = options.clock();
  return {
    db: options.db,
    config: options.config,
    now,
    clock: options.clock,
    loaders: createLoaders(options.db, now),
    viewer: options.viewer ?? anonymousViewer,
    requestId: options.requestId ?? 'local',
    baseUrl:
      options.config.publicUrl ?? options.baseUrl ?? `http://localhost:${options.config.port}`,
  };
}
