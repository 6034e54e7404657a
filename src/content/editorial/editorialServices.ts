import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { RateLimiter } from '../../access/rateLimiter';
import type { EditorialSettings } from '../../config';
import type { PublishedArticleCache } from '../../views/publishedArticleCache';

/** What the editorial mutations write with: built once per gateway (src/gateway.ts). */
export interface EditorialServices {
  /** The DataSource writes go to, through writeTransaction. */
  db: DataSource;
  /** Counters of writes per token, in a one-minute window (in Redis when REDIS_URL is set). */
  limiter: RateLimiter;
  log: Logger;
  settings: EditorialSettings;
  /** recordView's cache of published articles, forgotten for an article once it is written. */
  publishedArticles: PublishedArticleCache;
  /** The publication schedule, told after every committed write (one may schedule an article). */
  publications: { changed(): Promise<void> };
  /** The change feed, nudged after every committed write so its listeners hear of it at once. */
  changes: { nudge(): Promise<void> };
}
