import type Redis from 'ioredis';
import type { Logger } from 'pino';
import {
  type EngagementClaim,
  EngagementLedger,
  engagementWindowMs,
  type EngagementViews,
  viewIdKey,
} from './engagementLedger';
import { withTimeout } from './redisLiveReaders';
import { RedisOutage } from './redisOutage';
import { hourMs, startOfHour } from './timeBuckets';

/**
 * One claim, atomically: the view's record (KEYS[1], "article:hour start ms"), unknown where there
 * is none or its hour is past the window at the gateway's now (ARGV[1]; the clock of the gateway,
 * not Redis's, decides, as the local ledger does), then the claim mark SET NX (KEYS[2]): the
 * record where this is the first report, "repeat" where one came before.
 */
const claimScript = `
local record = redis.call('GET', KEYS[1])
if not record then return false end
local hour = tonumber(string.match(record, ':(%d+)$'))
if tonumber(ARGV[1]) - hour >= tonumber(ARGV[2]) then return false end
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[3]) then return 'repeat' end
return record`;

const claimCommand = 'contentGatewayEngagementClaim';

type ScriptCommand = (...args: (string | Buffer | number)[]) => Promise<unknown>;

// After a failure Redis is asked again after this pause, not at every view of an outage.

/**
 * The view ids every replica shares (REDIS_URL), under REDIS_KEY_PREFIX: `e:` + 8 bytes of the
 * id's SHA-256 holds "article id:hour of the view" for engagementWindowMs, `ec:` + the same bytes
 * is set (NX) by the one report it takes. The registrations of one event-loop turn go in one
 * pipeline. While Redis does not answer, views are registered and claimed in this process's
 * EngagementLedger; a report Redis does not know is looked for there too (its view may have come
 * during an outage).
 */
export class RedisEngagementLedger implements EngagementViews {
  private readonly local: EngagementLedger;
  private readonly prefix: Buffer;
  private waiting: { viewId: string; articleId: number; at: number }[] = [];
  private scheduled = false;
  private readonly outage: RedisOutage;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    maxLocalEntries: number,
    log: Logger,
  ) {
    this.local = new EngagementLedger(maxLocalEntries);
    this.outage = new RedisOutage(redis, log, {
      lost: 'engagement: Redis unreachable, view ids are kept in this process until it answers',
      back: 'engagement: Redis answers again, view ids are shared across replicas',
    });
    this.prefix = Buffer.from(prefix);
    if (!(claimCommand in redis)) {
      redis.defineCommand(claimCommand, { numberOfKeys: 2, lua: claimScript });
    }
  }

  register(viewId: string, articleId: number, at: number): void {
    if (!this.outage.reachable()) {
      this.local.register(viewId, articleId, at);
      return;
    }
    this.waiting.push({ viewId, articleId, at });
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.send());
  }

  async claim(viewId: string, at: number): Promise<EngagementClaim> {
    if (!this.outage.reachable()) return this.local.claimNow(viewId, at);
    try {
      const command = (this.redis as unknown as Record<string, ScriptCommand>)[claimCommand];
      const answer = await withTimeout(
        command.call(
          this.redis,
          this.key('e:', viewId),
          this.key('ec:', viewId),
          at,
          engagementWindowMs + hourMs,
          engagementWindowMs + hourMs,
        ),
      );
      this.outage.answered();
      if (answer === 'repeat') return { claimed: false, reason: 'repeat' };
      if (answer == null) return this.local.claimNow(viewId, at);
      const [articleId, viewHour] = String(answer).split(':').map(Number);
      return { claimed: true, articleId, viewHour };
    } catch (error) {
      this.outage.failed(error);
      return this.local.claimNow(viewId, at);
    }
  }

  sweep(now: number): void {
    this.local.sweep(now);
  }

  /** Sends the registrations waiting since the last turn in one pipeline. */
  private async send(): Promise<void> {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = [];
    const pipeline = this.redis.pipeline();
    // Kept a window and an hour: the local ledger accepts a report until then (hour buckets).
    for (const { viewId, articleId, at } of batch) {
      pipeline.set(
        this.key('e:', viewId),
        `${articleId}:${startOfHour(at)}`,
        'PX',
        engagementWindowMs + hourMs,
      );
    }
    try {
      const results = (await withTimeout(pipeline.exec())) ?? [];
      const error = results.find(([failure]) => failure)?.[0];
      if (error) throw error;
      this.outage.answered();
    } catch (error) {
      this.outage.failed(error);
      for (const { viewId, articleId, at } of batch) this.local.register(viewId, articleId, at);
    }
  }

  /** prefix + tag + 8 bytes of the id's digest, as raw bytes. */
  private key(tag: string, viewId: string): Buffer {
    const { hi, lo } = viewIdKey(viewId);
    const head = this.prefix.length + tag.length;
    const key = Buffer.allocUnsafe(head + 8);
    this.prefix.copy(key, 0);
    key.write(tag, this.prefix.length, 'latin1');
    key.writeUInt32BE(hi >>> 0, head);
    key.writeUInt32BE(lo >>> 0, head + 4);
    return key;
  }
}
