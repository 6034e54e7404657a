import { createHash } from 'node:crypto';
import { LocalViewMemory } from './localViewMemory';
import { agentVerdict } from './readerAgent';
import type { ViewDecision, ViewMemory, VisitorKey } from './viewMemory';

export type { NotCountedReason, ViewDecision, VisitorKey } from './viewMemory';

/** What the gateway knows about the HTTP request behind a recordView; never stored or logged. */
export interface RequestFacts {
  ip: string | null;
  userAgent: string | null;
  /** The Purpose or Sec-Purpose header, e.g. "prefetch" or "prefetch;prerender". */
  purpose: string | null;
}

export interface ViewGuardSettings {
  dedupeMinutes: number;
  ratePerMinute: number;
  memoryMaxEntries: number;
  /** READER_APP_AGENTS, lower-cased: the publisher's own apps, always readers. */
  readerAppAgents?: readonly string[];
}

/**
 * Decides whether a view counts: bots, prefetches, repeats within the dedupe period and visitors
 * over their rate are accepted but not counted. What it remembers between views (the dedupe
 * period, the rate, today's unique visitors, the day's salt) is its ViewMemory: this process's
 * (LocalViewMemory, the default) or, with REDIS_URL, the one all replicas share (RedisViewMemory).
 * Visitor keys are hashes; neither an id nor an address is kept as sent.
 */
export class ViewGuard {
  constructor(
    private readonly settings: ViewGuardSettings,
    readonly memory: ViewMemory = new LocalViewMemory(settings),
  ) {}

  /** Entries held in this process for dedupe and unique visitors (for the metrics and tests). */
  get size(): number {
    return this.memory.size;
  }

  /**
   * The visitor key: the client's visitorId, else a hash of IP, user agent and today's salt.
   * Both are hashed, so neither an id nor an address is kept in memory as sent.
   */
  async visitorKey(
    visitorId: string | null | undefined,
    request: RequestFacts,
    now: number,
  ): Promise<VisitorKey> {
    let digest: Buffer;
    if (visitorId != null && visitorId !== '') {
      digest = createHash('sha256').update('v\0').update(visitorId).digest();
    } else {
      const salt = await this.memory.daySalt(now);
      digest = createHash('sha256')
        .update('a\0')
        .update(salt)
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
  async admit(articleId: number, visitor: VisitorKey, now: number): Promise<ViewDecision> {
    const [decision] = await this.memory.decide([{ articleId, visitor, at: now }]);
    return decision;
  }

  /**
   * Forgets entries neither today's unique visitors nor the dedupe period still need, at most once
   * a minute (the flusher calls it every flush).
   */
  prune(now: number): void {
    this.memory.prune(now);
  }
}
