import { HashKeyTable } from './hashKeyTable';
import type { VisitorKey } from './viewGuard';

/** Readers now: distinct visitors with a view in the last five minutes (the schema's LAST_5_MINUTES). */
export const liveWindowMs = 5 * 60_000;
/** How long one count of readers now is served before it is counted again. */
export const liveCacheMs = 10_000;

/**
 * Where readers are remembered: in this process (MemoryLiveReaders), or a store shared by the
 * replicas (a Redis one can implement the same two calls). Only hashes of visitors, never stored
 * in the database.
 */
export interface LiveReaders {
  /** A visitor read the article at `at` (counted or a repeat within the dedupe period). */
  seen(articleId: number, visitor: VisitorKey, at: number): void;
  /** Distinct visitors per article seen in (now - liveWindowMs, now]. */
  counts(now: number): Promise<ReadonlyMap<number, number>>;
}

// A value packs the article id above the time in seconds since 2020: article ids below 2^22 (4
// million) and seconds below 2^31 (until 2088) stay within a float64's exact integers.
const tickSpan = 2 ** 31;
const tickOf = (at: number) => Math.floor(at / 1000) - 1_577_836_800;
const maxArticleId = 2 ** 22;

/**
 * LiveReaders in memory: one HashKeyTable entry per (visitor, article) with the time last seen
 * (to the second), expired entries swept when counting (at most every liveCacheMs through
 * LiveReaderCounts). At most `maxEntries`: past that, new readers are not remembered until a
 * sweep makes room.
 */
export class MemoryLiveReaders implements LiveReaders {
  private readonly table = new HashKeyTable();

  constructor(private readonly maxEntries: number) {}

  seen(articleId: number, visitor: VisitorKey, at: number): void {
    if (articleId >= maxArticleId) return;
    const hi = (visitor.hi ^ Math.imul(articleId, 0x9e3779b1)) >>> 0;
    const lo = (visitor.lo ^ Math.imul(articleId ^ 0x5bd1e995, 0x85ebca6b)) >>> 0;
    if (this.table.size >= this.maxEntries && this.table.get(hi, lo) === undefined) {
      this.sweep(at);
      if (this.table.size >= this.maxEntries) return;
    }
    this.table.set(hi, lo, articleId * tickSpan + tickOf(at));
  }

  counts(now: number): Promise<ReadonlyMap<number, number>> {
    const counts = new Map<number, number>();
    const from = tickOf(now - liveWindowMs);
    const to = tickOf(now);
    this.table.sweep(value => {
      const tick = value % tickSpan;
      if (tick <= from) return false;
      if (tick <= to) {
        const articleId = Math.floor(value / tickSpan);
        counts.set(articleId, (counts.get(articleId) ?? 0) + 1);
      }
      return true;
    });
    return Promise.resolve(counts);
  }

  private sweep(now: number): void {
    const from = tickOf(now - liveWindowMs);
    this.table.sweep(value => value % tickSpan > from);
  }
}

/** One count of readers now: per article, and the articles ranked (most readers first). */
export interface LiveSnapshot {
  computedAt: Date;
  readers: ReadonlyMap<number, number>;
  /** [articleId, readers], readers descending, then article id ascending. */
  ranked: readonly (readonly [number, number])[];
}

/** Readers now as the API serves them: counted at most every liveCacheMs; concurrent asks share one. */
export class LiveReaderCounts {
  private current: LiveSnapshot | null = null;
  private pending: Promise<LiveSnapshot> | null = null;

  constructor(readonly readers: LiveReaders) {}

  snapshot(now: Date): Promise<LiveSnapshot> {
    const at = now.getTime();
    const current = this.current;
    if (current) {
      const age = at - current.computedAt.getTime();
      if (age >= 0 && age < liveCacheMs) return Promise.resolve(current);
    }
    if (!this.pending) {
      this.pending = this.readers
        .counts(at)
        .then(readers => {
          const ranked = [...readers].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
          this.current = { computedAt: now, readers, ranked };
          return this.current;
        })
        .finally(() => {
          this.pending = null;
        });
    }
    return this.pending;
  }
}
