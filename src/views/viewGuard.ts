import { createHash, randomBytes } from 'node:crypto';
import { HashKeyTable } from './hashKeyTable';
import { agentVerdict } from './readerAgent';
import { calendarOf, type SiteCalendar } from './siteCalendar';

/** What the gateway knows about the HTTP request behind a recordView; never stored or logged. */
export interface RequestFacts {
  ip: string | null;
  userAgent: string | null;
  /** The Purpose or Sec-Purpose header, e.g. "prefetch" or "prefetch;prerender". */
  purpose: string | null;
}

export type NotCountedReason = 'bot' | 'prefetch' | 'repeat' | 'rate' | 'unpublished';

export type ViewDecision =
  | { counted: true; unique: boolean }
  | { counted: false; reason: NotCountedReason };

export interface ViewGuardSettings {
  dedupeMinutes: number;
  ratePerMinute: number;
  memoryMaxEntries: number;
  /** READER_APP_AGENTS, lower-cased: the publisher's own apps, always readers. */
  readerAppAgents?: readonly string[];
}

/** A visitor as the guard keys it: 64 bits of a SHA-256 digest, as two uint32 halves. */
export interface VisitorKey {
  hi: number;
  lo: number;
}

// Expired entries are swept out at most this often when the table has no other reason to be
// rebuilt (it sweeps whenever it would grow, too): the memory holds at most a minute more.
const pruneIntervalMs = 60_000;

/**
 * Decides whether a view counts: bots, prefetches, repeats within the dedupe period and visitors
 * over their rate are accepted but not counted. Keeps, in memory only, for each (visitor, article)
 * seen today or within the dedupe period, when it was last counted. Visitor keys are hashes; the
 * daily salt of anonymous keys exists only in this process and is dropped when the day ends.
 *
 * Both tables are HashKeyTables (typed arrays, 64-bit keys): a visitor-article pair is 64 bits of
 * the visitor's digest with the article id mixed in, so two pairs share a key with odds of about
 * one in 2^64 (README "Counting views").
 */
export class ViewGuard {
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

  /** Days (unique visitors, the anonymous salt) are the site's: SITE_TIME_ZONE's calendar. */
  constructor(
    private readonly settings: ViewGuardSettings,
    private readonly calendar: SiteCalendar = calendarOf('UTC'),
  ) {}

  /** Entries held for dedupe and unique visitors (for the metrics and tests). */
  get size(): number {
    return this.seen.size;
  }

  /**
   * The visitor key: the client's visitorId, else a hash of IP, user agent and today's salt.
   * Both are hashed, so neither an id nor an address is kept in memory as sent.
   */
  visitorKey(visitorId: string | null | undefined, request: RequestFacts, now: number): VisitorKey {
    let digest: Buffer;
    if (visitorId != null && visitorId !== '') {
      digest = createHash('sha256').update('v\0').update(visitorId).digest();
    } else {
      const day = this.calendar.startOfDay(now);
      if (day !== this.saltDay) {
        // A new random salt each day of the site; the old one is overwritten, so yesterday's keys cannot be
        // recomputed from an address (the issue allows two days; forgetting at once is stricter).
        this.saltDay = day;
        this.salt = randomBytes(16);
      }
      digest = createHash('sha256')
        .update('a\0')
        .update(this.salt)
        .update('\0')
        .update(request.ip ?? '')
        .update('\0')
        .update(request.userAgent ?? '')
        .digest();
    }
    return { hi: digest.readUInt32LE(0), lo: digest.readUInt32LE(4) };
  }

  /**
   * Whether a request is a bot (a crawler or script; apps and browsers are readers, see
   * readerAgent.ts) or a speculative load (prefetch, prerender) rather than a read.
   */
  screen(request: RequestFacts): ViewDecision | null {
    if (agentVerdict(request.userAgent, this.settings.readerAppAgents) === 'bot') {
      return { counted: false, reason: 'bot' };
    }
    // Chrome sends Sec-Purpose: prefetch (and ;prerender); Safari and older Chrome send Purpose.
    if (request.purpose && /\b(prefetch|prerender|preview)\b/i.test(request.purpose)) {
      return { counted: false, reason: 'prefetch' };
    }
    return null;
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

    // The article id goes through a bijection (murmur3's finalizer) into both halves: one
    // visitor's articles never share a key, and their slots scatter over the table.
    const hi = visitor.hi ^ mix32(articleId);
    const lo = visitor.lo ^ mix32(articleId ^ 0x5bd1e995);
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
    const today = this.calendar.dayOf(now);
    return {
      counted: true,
      unique: previous === undefined || previous < today.start || previous >= today.end,
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
    return Math.min(this.calendar.startOfDay(now), now - this.settings.dedupeMinutes * 60_000);
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

/** murmur3's 32-bit finalizer: a bijection on uint32 that scatters nearby ids. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
