import { randomBytes } from 'node:crypto';
import { HashKeyTable } from './hashKeyTable';
import { startOfDay } from './timeBuckets';
import {
  pairKey,
  type ViewDecision,
  type ViewMemory,
  type ViewQuestion,
  type VisitorKey,
} from './viewMemory';

export interface LocalViewMemorySettings {
  dedupeMinutes: number;
  ratePerMinute: number;
  memoryMaxEntries: number;
}

// Expired entries are swept out at most this often when the table has no other reason to be
// rebuilt (it sweeps whenever it would grow, too): the memory holds at most a minute more.
const pruneIntervalMs = 60_000;

/**
 * The view memory of one process: for each (visitor, article) seen today or within the dedupe
 * period, when it was last counted; each visitor's calls in the current minute; a random salt of
 * anonymous keys that exists only here and is dropped when the day ends.
 *
 * Both tables are HashKeyTables (typed arrays, 64-bit keys): a visitor-article pair is 64 bits of
 * the visitor's digest with the article id mixed in, so two pairs share a key with odds of about
 * one in 2^64 (README "Counting views").
 */
export class LocalViewMemory implements ViewMemory {
  /** (visitor, article) to the time of the last counted view (epoch ms). */
  private readonly seen = new HashKeyTable();
  /** Visitor to recordView calls in the current minute. */
  private readonly rates = new HashKeyTable();
  private rateMinute = -1;
  private saltDay = -1;
  private salt = Buffer.alloc(0);
  /** No entry in `seen` is older than this (epoch ms); Infinity while it is empty. */
  private oldest = Infinity;
  /** No entry in `seen` is newer than this (epoch ms). */
  private newest = -Infinity;
  private lastPrune = -Infinity;

  constructor(private readonly settings: LocalViewMemorySettings) {}

  get size(): number {
    return this.seen.size;
  }

  async decide(views: readonly ViewQuestion[]): Promise<ViewDecision[]> {
    return views.map(view => this.admit(view.articleId, view.visitor, view.at));
  }

  async daySalt(now: number): Promise<Buffer> {
    return this.saltOf(startOfDay(now));
  }

  /**
   * A new random salt each UTC day; the old one is overwritten, so yesterday's keys cannot be
   * recomputed from an address (the issue allows two days; forgetting at once is stricter).
   */
  saltOf(day: number): Buffer {
    if (day !== this.saltDay) {
      this.saltDay = day;
      this.salt = randomBytes(16);
    }
    return this.salt;
  }

  /** Applies the per-visitor rate and the dedupe period; records a counted view. */
  admit(articleId: number, visitor: VisitorKey, now: number): ViewDecision {
    const minute = Math.floor(now / 60_000);
    if (minute !== this.rateMinute) {
      // Fixed one-minute windows: the whole table belongs to the last minute, so drop it at once.
      this.rateMinute = minute;
      this.rates.clear();
    }
    const attempts = (this.rates.get(visitor.hi, visitor.lo) ?? 0) + 1;
    this.rates.set(visitor.hi, visitor.lo, attempts);
    if (attempts > this.settings.ratePerMinute) return { counted: false, reason: 'rate' };

    const { hi, lo } = pairKey(articleId, visitor);
    const previous = this.seen.get(hi, lo);
    if (previous !== undefined && now - previous < this.settings.dedupeMinutes * 60_000) {
      return { counted: false, reason: 'repeat' };
    }
    if (
      previous === undefined &&
      (this.seen.full || this.seen.size >= this.settings.memoryMaxEntries)
    ) {
      this.makeRoom(now);
    }
    this.seen.set(hi, lo, now);
    if (now < this.oldest) this.oldest = now;
    if (now > this.newest) this.newest = now;
    return {
      counted: true,
      unique: previous === undefined || startOfDay(previous) !== startOfDay(now),
    };
  }

  /**
   * Forgets entries neither today's unique visitors nor the dedupe period still need, at most once
   * a minute (the flusher calls it every flush).
   */
  prune(now: number): void {
    if (this.oldest >= this.keepAfter(now) || now - this.lastPrune < pruneIntervalMs) return;
    this.sweep(now);
  }

  /** Entries counted at or after this are still needed (today's uniques, the dedupe period). */
  private keepAfter(now: number): number {
    return Math.min(startOfDay(now), now - this.settings.dedupeMinutes * 60_000);
  }

  /** Drops expired entries. */
  private sweep(now: number): void {
    const keepAfter = this.keepAfter(now);
    let oldest = Infinity;
    this.seen.sweep(at => {
      if (at < keepAfter) return false;
      if (at < oldest) oldest = at;
      return true;
    });
    this.oldest = oldest;
    this.lastPrune = now;
  }

  /**
   * Before a new entry when the table would grow or is at VIEW_MEMORY_MAX_ENTRIES: expired entries
   * go; at the cap the oldest tenth of the rest goes too (those visitors may count once more as
   * unique today, as README "Counting views" says). One pass for a histogram of the times still
   * needed and one sweep that deletes in place: each is a pass over the whole table (together 45
   * to 75 ms at a million entries, measured; 98 to 149 ms when the sweep rebuilt the table), so the
   * cap does not run the expired sweep first as a pass of its own.
   */
  private makeRoom(now: number): void {
    const max = this.settings.memoryMaxEntries;
    if (this.seen.size < max) {
      this.sweep(now);
      return;
    }
    const keepAfter = this.keepAfter(now);
    const buckets = new Uint32Array(1024);
    const from = Math.max(this.oldest, keepAfter);
    const width = Math.max(1, (this.newest - from + 1) / buckets.length);
    const bucketOf = (at: number) => Math.floor((at - from) / width);
    let live = 0;
    this.seen.forEachValue(at => {
      if (at < keepAfter) return;
      buckets[bucketOf(at)] += 1;
      live += 1;
    });
    let evict = live >= max ? live - max + Math.ceil(max / 10) : 0;
    let bucket = 0;
    let below = 0;
    while (evict > 0 && below + buckets[bucket] < evict) {
      below += buckets[bucket];
      bucket += 1;
    }
    // Expired entries go, everything below the boundary bucket, and as many from it as are missing.
    evict -= below;
    let oldest = Infinity;
    this.seen.sweep(at => {
      if (at < keepAfter) return false;
      const of = bucketOf(at);
      if (of < bucket) return false;
      if (of === bucket && evict > 0) {
        evict -= 1;
        return false;
      }
      if (at < oldest) oldest = at;
      return true;
    });
    this.oldest = oldest;
    this.lastPrune = now;
  }
}
