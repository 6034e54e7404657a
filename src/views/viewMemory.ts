/** Why a view was accepted but not counted. */
export type NotCountedReason = 'bot' | 'prefetch' | 'repeat' | 'rate' | 'unpublished';

export type ViewDecision =
  | { counted: true; unique: boolean }
  | { counted: false; reason: NotCountedReason };

/** A visitor as the guard keys it: 64 bits of a SHA-256 digest, as two uint32 halves. */
export interface VisitorKey {
  hi: number;
  lo: number;
}

/** One view the memory decides on: the article, the hashed visitor and the request's "now". */
export interface ViewQuestion {
  articleId: number;
  visitor: VisitorKey;
  at: number;
}

/**
 * What the view guard remembers between views: for each (visitor, article) when it was last
 * counted (the dedupe period, today's unique visitors), each visitor's recordView calls in the
 * current minute (the rate), and the day's salt of anonymous visitor keys. In this process
 * (LocalViewMemory) or, with REDIS_URL, shared by every replica (RedisViewMemory). Only hashes go
 * in; never an IP address, a user agent or a visitor id.
 */
export interface ViewMemory {
  /**
   * The rate and dedupe decisions for a batch of views, in order: counted (and whether the visitor
   * is new to the article today), a repeat, or over the rate. Never rejects.
   */
  decide(views: readonly ViewQuestion[]): Promise<ViewDecision[]>;
  /** The salt of anonymous visitor keys for the UTC day that contains `now`; never rejects. */
  daySalt(now: number): Promise<Buffer>;
  /** Forgets what neither the dedupe period nor today's uniques still need (called every flush). */
  prune(now: number): void;
  /** Entries held in this process (for the metrics and tests). */
  readonly size: number;
}

/** murmur3's 32-bit finalizer: a bijection on uint32 that scatters nearby ids. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The key of a (visitor, article) pair: the article id goes through a bijection (murmur3's
 * finalizer) into both halves, so one visitor's articles never share a key and their slots
 * scatter over the table.
 */
export function pairKey(articleId: number, visitor: VisitorKey): VisitorKey {
  return {
    hi: (visitor.hi ^ mix32(articleId)) >>> 0,
    lo: (visitor.lo ^ mix32(articleId ^ 0x5bd1e995)) >>> 0,
  };
}
