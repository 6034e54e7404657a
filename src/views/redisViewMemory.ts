import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import type { Logger } from 'pino';
import { LocalViewMemory, type LocalViewMemorySettings } from './localViewMemory';
import { RedisOutage } from './redisOutage';
import { calendarOf, type SiteCalendar } from './siteCalendar';
import {
  pairKey,
  type ViewDecision,
  type ViewMemory,
  type ViewQuestion,
  type VisitorKey,
} from './viewMemory';
import type { Metrics } from '../ops/metrics';

/**
 * One view, atomically: the visitor's counter of this minute (INCR, PEXPIRE on the first), then
 * the pair's last counted time, set only where the view counts, to expire at the end of its UTC
 * day or the end of its dedupe period, whichever is later (today's uniques need it until
 * midnight). KEYS: rate counter, pair. ARGV: rate per minute, now, dedupe ms, start of today
 * (epoch ms), and the pair's time to live (ms: relative, so the gateway's clock decides, not
 * Redis's). Returns 1 counted and unique today, 0 counted, -1 over the rate, -2 a repeat.
 * The same rules, in the same order, as LocalViewMemory.admit.
 */
const decideScript = `
local attempts = redis.call('INCR', KEYS[1])
if attempts == 1 then redis.call('PEXPIRE', KEYS[1], 120000) end
if attempts > tonumber(ARGV[1]) then return -1 end
local now = tonumber(ARGV[2])
local dedupe = tonumber(ARGV[3])
local today = tonumber(ARGV[4])
local previous = tonumber(redis.call('GET', KEYS[2]))
if previous and now - previous < dedupe then return -2 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[5])
if previous and previous >= today then return 0 end
return 1`;

/** The day's salt: the one already there, else this one, kept until the day ends. */
const saltScript = `
local salt = redis.call('GET', KEYS[1])
if salt then return salt end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]`;

const decideCommand = 'contentGatewayViewDecide';
const saltCommand = 'contentGatewayDaySalt';

type ScriptCommand = (...args: (string | Buffer | number)[]) => Promise<unknown>;

// A batch not answered within this goes to the local memory (the reader never waits longer); after
// a failure Redis is asked again after RedisOutage's pause, not at every view of an outage.
const answerTimeoutMs = 1000;

interface Waiting {
  views: readonly ViewQuestion[];
  resolve: (decisions: ViewDecision[]) => void;
}

/**
 * The view memory every replica shares (REDIS_URL), under REDIS_KEY_PREFIX:
 * `v:` + the pair's 8-byte key (its last counted time, expiring at the end of its day or dedupe
 * period), `r:` + the visitor's 8-byte key + the minute (the rate, two minutes), and `salt:` + the
 * day (16 random bytes, until midnight) so that anonymous keys agree across replicas. Hashes only:
 * no IP address, user agent or visitor id goes to Redis.
 *
 * The views of one event-loop turn go in one pipeline (one round trip however many there are).
 * While Redis is unreachable each view is decided in this process's LocalViewMemory at once: the
 * reader never sees an error; the first such view logs a warning, every one is counted in
 * gateway_view_memory_fallback_total, and the first batch Redis answers again logs its return.
 */
export class RedisViewMemory implements ViewMemory {
  private readonly local: LocalViewMemory;
  private readonly calendar: SiteCalendar;
  private readonly prefix: Buffer;
  private waiting: Waiting[] = [];
  private scheduled = false;
  private readonly outage: RedisOutage;
  /** The day's salt as last known; `shared` while it is known to be the one in Redis. */
  private salt: { day: number; salt: Buffer; shared: boolean } | null = null;
  private saltFetch: Promise<Buffer> | null = null;
  /** False after a failure until the salt is read again from Redis (it may have lost it). */
  private saltConfirmed = false;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly settings: LocalViewMemorySettings,
    log: Logger,
    private readonly metrics?: Metrics,
  ) {
    this.local = new LocalViewMemory(settings);
    this.outage = new RedisOutage(
      redis,
      log,
      {
        lost: 'view memory: Redis unreachable, deciding views in this process until it answers (a visitor may count once more)',
        back: 'view memory: Redis answers again, views are decided across replicas',
      },
      shared => this.metrics?.viewMemoryShared.set(shared ? 1 : 0),
    );
    this.calendar = calendarOf(settings.timeZone ?? 'UTC');
    this.prefix = Buffer.from(prefix);
    if (!(decideCommand in redis)) {
      redis.defineCommand(decideCommand, { numberOfKeys: 2, lua: decideScript });
      redis.defineCommand(saltCommand, { numberOfKeys: 1, lua: saltScript });
    }
    this.metrics?.viewMemoryShared.set(1);
  }

  /** Entries of the fallback memory held in this process. */
  get size(): number {
    return this.local.size;
  }

  /** Whether views are decided in Redis now (false while falling back). */
  get isShared(): boolean {
    return this.outage.shared;
  }

  decide(views: readonly ViewQuestion[]): Promise<ViewDecision[]> {
    if (!this.outage.reachable()) return Promise.resolve(this.decideLocally(views));
    return new Promise(resolve => {
      this.waiting.push({ views, resolve });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => void this.send());
    });
  }

  async daySalt(now: number): Promise<Buffer> {
    const day = this.calendar.startOfDay(now);
    const known = this.salt?.day === day ? this.salt : null;
    if (!this.outage.reachable()) {
      if (known) return known.salt;
      this.salt = { day, salt: this.local.saltOf(day), shared: false };
      return this.salt.salt;
    }
    if (known?.shared && this.saltConfirmed) return known.salt;
    // A salt of this day already known is proposed again: a Redis that lost it (restarted without
    // persistence) gets the one the running replicas use back, rather than a new one.
    const proposed = known?.shared ? known.salt : randomBytes(16);
    this.saltFetch ??= this.fetchSalt(day, this.calendar.dayOf(now).end - now, proposed).finally(
      () => (this.saltFetch = null),
    );
    return this.saltFetch;
  }

  prune(now: number): void {
    this.local.prune(now);
  }

  private async fetchSalt(day: number, untilMidnightMs: number, proposed: Buffer): Promise<Buffer> {
    try {
      const command = (this.redis as unknown as Record<string, ScriptCommand>)[saltCommand];
      const hex = await withTimeout(
        command.call(
          this.redis,
          Buffer.concat([this.prefix, Buffer.from(`salt:${day}`)]),
          proposed.toString('hex'),
          Math.max(1, untilMidnightMs),
        ),
      );
      const salt = Buffer.from(String(hex), 'hex');
      this.salt = { day, salt, shared: true };
      this.saltConfirmed = true;
      this.outage.answered();
      return salt;
    } catch (error) {
      this.outage.pause();
      this.fellBack(error, 0);
      const salt = this.local.saltOf(day);
      this.salt = { day, salt, shared: false };
      return salt;
    }
  }

  /** Sends every view waiting since the last turn in one pipeline and hands out the decisions. */
  private async send(): Promise<void> {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = [];
    const views = batch.flatMap(waiting => waiting.views);
    let decisions: ViewDecision[];
    try {
      const pipeline = this.redis.pipeline();
      for (const view of views) this.queueDecide(pipeline, view);
      const results = (await withTimeout(pipeline.exec())) ?? [];
      let failed: unknown = null;
      decisions = views.map((view, index) => {
        const [error, answer] = results[index] ?? [new Error('no answer'), null];
        if (error) {
          failed ??= error;
          return this.local.admit(view.articleId, view.visitor, view.at);
        }
        return decisionOf(Number(answer));
      });
      if (failed) {
        this.outage.pause();
        this.fellBack(failed, 0);
      } else this.outage.answered();
    } catch (error) {
      this.outage.pause();
      decisions = this.decideLocally(views, error);
    }
    let offset = 0;
    for (const waiting of batch) {
      waiting.resolve(decisions.slice(offset, offset + waiting.views.length));
      offset += waiting.views.length;
    }
  }

  private queueDecide(pipeline: ChainableCommander, view: ViewQuestion): void {
    const pair = pairKey(view.articleId, view.visitor);
    const minute = Math.floor(view.at / 60_000);
    const { start: today, end: tomorrow } = this.calendar.dayOf(view.at);
    const dedupeMs = this.settings.dedupeMinutes * 60_000;
    const command = (pipeline as unknown as Record<string, ScriptCommand>)[decideCommand];
    command.call(
      pipeline,
      this.key('r:', view.visitor, minute),
      this.key('v:', pair),
      this.settings.ratePerMinute,
      view.at,
      dedupeMs,
      today,
      Math.max(tomorrow - view.at, dedupeMs, 1),
    );
  }

  /** prefix + tag + the 64-bit key (+ the minute, for rate counters), as raw bytes. */
  private key(tag: string, hash: VisitorKey, minute?: number): Buffer {
    const head = this.prefix.length + tag.length;
    const key = Buffer.allocUnsafe(head + 8 + (minute === undefined ? 0 : 4));
    this.prefix.copy(key, 0);
    key.write(tag, this.prefix.length, 'latin1');
    key.writeUInt32BE(hash.hi >>> 0, head);
    key.writeUInt32BE(hash.lo >>> 0, head + 4);
    if (minute !== undefined) key.writeUInt32BE(minute >>> 0, head + 8);
    return key;
  }

  private decideLocally(views: readonly ViewQuestion[], error?: unknown): ViewDecision[] {
    this.fellBack(error ?? new Error(`Redis is ${this.redis.status}`), views.length);
    return views.map(view => this.local.admit(view.articleId, view.visitor, view.at));
  }

  /** Counts views decided here; the first of an outage logs it. */
  private fellBack(error: unknown, views: number): void {
    if (views) this.metrics?.viewMemoryFallback.inc(views);
    this.saltConfirmed = false;
    this.outage.lost(error);
  }
}

function decisionOf(answer: number): ViewDecision {
  if (answer === -1) return { counted: false, reason: 'rate' };
  if (answer === -2) return { counted: false, reason: 'repeat' };
  return { counted: true, unique: answer === 1 };
}

/** The promise, or a rejection after answerTimeoutMs (Redis may hang without closing). */
function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis did not answer within ${answerTimeoutMs} ms`)),
      answerTimeoutMs,
    );
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
