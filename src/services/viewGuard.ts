import { createHash, randomBytes } from 'node:crypto';
import { isbot } from 'isbot';
import { startOfDay } from './timeBuckets';

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
}

interface Seen {
  /** When this visitor's last counted view of this article was (epoch ms). */
  lastCounted: number;
  /** The UTC day of that view: a later view on another day is a new unique visitor. */
  day: number;
}

/**
 * Decides whether a view counts: bots, prefetches, repeats within the dedupe period and visitors
 * over their rate are accepted but not counted. Keeps, in memory only, for each (visitor, article)
 * seen today or within the dedupe period, when it was last counted. Visitor keys are hashes; the
 * daily salt of anonymous keys exists only in this process and is dropped when the day ends.
 */
export class ViewGuard {
  private readonly seen = new Map<string, Seen>();
  private rateMinute = -1;
  private rates = new Map<string, number>();
  private saltDay = -1;
  private salt = Buffer.alloc(0);

  constructor(private readonly settings: ViewGuardSettings) {}

  /** Entries held for dedupe and unique visitors (for the metrics and tests). */
  get size(): number {
    return this.seen.size;
  }

  /**
   * The visitor key: the client's visitorId, else a hash of IP, user agent and today's salt.
   * Both are hashed, so neither an id nor an address is kept in memory as sent.
   */
  visitorKey(visitorId: string | null | undefined, request: RequestFacts, now: number): string {
    if (visitorId != null && visitorId !== '') {
      return 'v' + createHash('sha256').update(visitorId).digest('base64url').slice(0, 22);
    }
    const day = startOfDay(now);
    if (day !== this.saltDay) {
      // A new random salt each UTC day; the old one is overwritten, so yesterday's keys cannot be
      // recomputed from an address (the issue allows two days; forgetting at once is stricter).
      this.saltDay = day;
      this.salt = randomBytes(16);
    }
    return (
      'a' +
      createHash('sha256')
        .update(this.salt)
        .update('\0')
        .update(request.ip ?? '')
        .update('\0')
        .update(request.userAgent ?? '')
        .digest('base64url')
        .slice(0, 22)
    );
  }

  /** Whether a request is a bot or a speculative load (prefetch, prerender) rather than a read. */
  screen(request: RequestFacts): ViewDecision | null {
    if (request.userAgent && isbot(request.userAgent)) return { counted: false, reason: 'bot' };
    // Chrome sends Sec-Purpose: prefetch (and ;prerender); Safari and older Chrome send Purpose.
    if (request.purpose && /\b(prefetch|prerender|preview)\b/i.test(request.purpose)) {
      return { counted: false, reason: 'prefetch' };
    }
    return null;
  }

  /** Applies the per-visitor rate and the dedupe period; records a counted view. */
  admit(articleId: number, visitor: string, now: number): ViewDecision {
    const minute = Math.floor(now / 60_000);
    if (minute !== this.rateMinute) {
      // Fixed one-minute windows: the whole map belongs to the last minute, so drop it at once.
      this.rateMinute = minute;
      this.rates = new Map();
    }
    const attempts = (this.rates.get(visitor) ?? 0) + 1;
    this.rates.set(visitor, attempts);
    if (attempts > this.settings.ratePerMinute) return { counted: false, reason: 'rate' };

    const key = `${articleId}|${visitor}`;
    const day = startOfDay(now);
    const previous = this.seen.get(key);
    if (previous && now - previous.lastCounted < this.settings.dedupeMinutes * 60_000) {
      return { counted: false, reason: 'repeat' };
    }
    // Delete and set: the map stays ordered by last counted view, oldest first, for pruning.
    this.seen.delete(key);
    this.seen.set(key, { lastCounted: now, day });
    if (this.seen.size > this.settings.memoryMaxEntries) {
      // Over the cap the oldest entry goes: that visitor may count once more as unique today.
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return { counted: true, unique: !previous || previous.day !== day };
  }

  /** Forgets entries neither today's unique visitors nor the dedupe period still need. */
  prune(now: number): void {
    const keepAfter = Math.min(startOfDay(now), now - this.settings.dedupeMinutes * 60_000);
    for (const [key, entry] of this.seen) {
      if (entry.lastCounted >= keepAfter) break;
      this.seen.delete(key);
    }
  }
}
