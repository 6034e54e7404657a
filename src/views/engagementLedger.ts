import { createHash } from 'node:crypto';
import { HashKeyTable } from './hashKeyTable';
import { hourMs, startOfHour } from './timeBuckets';
import { BadUserInputError } from '../errors/BadUserInputError';

/** How long after its view an engagement report is accepted (a tab left open longer loses it). */
export const engagementWindowMs = 2 * hourMs;

/** What claiming a view id found. */
export type EngagementClaim =
  | { claimed: true; articleId: number; viewHour: number }
  | { claimed: false; reason: 'unknown' | 'repeat' };

/**
 * Where the view ids of counted views wait for their report: this process's EngagementLedger, or
 * with REDIS_URL the one the replicas share (RedisEngagementLedger), so a report may reach any.
 */
export interface EngagementViews {
  /** Remembers a counted view's id. */
  register(viewId: string, articleId: number, at: number): void;
  /** Takes a view id's one report: the view's article and hour, or why it cannot. */
  claim(viewId: string, at: number): Promise<EngagementClaim>;
  /** Drops what the window no longer needs (the flusher calls it). */
  sweep(now: number): void;
}

// A value packs the article id above the view's hour index: article ids below 2^24 (16 million)
// and hour indexes below 2^29 (the year 63,000) stay within the 2^53 a float64 holds exactly.
// Negative once the report came.
const hourSpan = 2 ** 29;

/**
 * The counted views that carry a client's viewId and may still send their one engagement report:
 * in memory only (64-bit hashes of the ids, in a HashKeyTable: 17 bytes a slot), for
 * engagementWindowMs after the view, at most `maxEntries` at once (past that, views are counted
 * still but their reports are not accepted). A view id is claimed once; a second report is a
 * repeat. Per process: with several replicas and no REDIS_URL a report that reaches another
 * replica than its view is unknown there (README "Analytics jobs"; RedisEngagementLedger shares them).
 */
export class EngagementLedger implements EngagementViews {
  private readonly views = new HashKeyTable();
  private lastSweep = -Infinity;

  constructor(private readonly maxEntries: number) {}

  /** View ids held (for tests and metrics). */
  get size(): number {
    return this.views.size;
  }

  /** Remembers a counted view's id. */
  register(viewId: string, articleId: number, at: number): void {
    if (articleId >= 2 ** 24) return;
    const { hi, lo } = viewIdKey(viewId);
    if (this.views.get(hi, lo) === undefined && this.views.size >= this.maxEntries) {
      this.sweep(at, true);
      if (this.views.size >= this.maxEntries) return;
    }
    this.views.set(hi, lo, articleId * hourSpan + startOfHour(at) / hourMs);
  }

  /** Takes a view id's one report: the view's article and hour, or why it cannot. */
  claim(viewId: string, at: number): Promise<EngagementClaim> {
    return Promise.resolve(this.claimNow(viewId, at));
  }

  /** claim, at once (the shared ledger falls back to it). */
  claimNow(viewId: string, at: number): EngagementClaim {
    const { hi, lo } = viewIdKey(viewId);
    const value = this.views.get(hi, lo);
    if (value === undefined) return { claimed: false, reason: 'unknown' };
    if (value < 0) return { claimed: false, reason: 'repeat' };
    const viewHour = (value % hourSpan) * hourMs;
    if (at - viewHour >= engagementWindowMs + hourMs) return { claimed: false, reason: 'unknown' };
    this.views.set(hi, lo, -value);
    return { claimed: true, articleId: Math.floor(value / hourSpan), viewHour };
  }

  /** Drops ids older than the window, at most once a minute (the flusher calls it). */
  sweep(now: number, force = false): void {
    if (!force && now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    const oldestHour = (startOfHour(now) - engagementWindowMs) / hourMs;
    this.views.sweep(value => Math.abs(value) % hourSpan >= oldestHour);
  }
}

/** 64 bits of a SHA-256 of the id: uniformly spread, as HashKeyTable wants its keys. */
export function viewIdKey(viewId: string): { hi: number; lo: number } {
  const digest = createHash('sha256').update('view\0').update(viewId).digest();
  return { hi: digest.readUInt32LE(0), lo: digest.readUInt32LE(4) };
}

const viewIdPattern = /^[A-Za-z0-9_-]{8,64}$/;

/** A view id as clients may choose it: 8 to 64 letters, digits, - and _ (a UUID fits). */
export function checkViewId(viewId: string): void {
  if (!viewIdPattern.test(viewId)) {
    throw new BadUserInputError(
      `viewId must be 8 to 64 letters, digits, - or _ (a UUID fits), got ${JSON.stringify(viewId.slice(0, 70))}.`,
    );
  }
}
