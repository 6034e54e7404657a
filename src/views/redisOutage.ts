import type Redis from 'ioredis';
import type { Logger } from 'pino';

// After a failed call, Redis is left alone this long before it is asked again.
const retryPauseMs = 1000;

/**
 * Whether a Redis-backed memory (the view memory, readers now, engagement view ids) asks Redis
 * now, and the one log line per outage and per return: each falls back to this process's own
 * memory while Redis is unreachable and goes back to Redis when it answers again.
 */
export class RedisOutage {
  private retryAt = 0;
  private sharedNow = true;

  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
    private readonly messages: { lost: string; back: string },
    /** Told each change: true when Redis answers again, false at the start of an outage. */
    private readonly changed?: (shared: boolean) => void,
  ) {}

  /** Whether the last call reached Redis (false from the first failure to the next answer). */
  get shared(): boolean {
    return this.sharedNow;
  }

  /** Redis is worth asking: connected (or connecting for the first time), and no pause running. */
  reachable(): boolean {
    const status = this.redis.status;
    if (status === 'reconnecting' || status === 'close' || status === 'end') return false;
    return Date.now() >= this.retryAt;
  }

  /** A call failed: pause, and if it is the start of an outage, say so. */
  failed(error: unknown): void {
    this.pause();
    this.lost(error);
  }

  /** Leaves Redis alone for the retry pause. */
  pause(): void {
    this.retryAt = Date.now() + retryPauseMs;
  }

  /** The memory answers from this process; the first time in an outage it is logged. */
  lost(error: unknown): void {
    if (!this.sharedNow) return;
    this.sharedNow = false;
    this.changed?.(false);
    this.log.warn({ err: error }, this.messages.lost);
  }

  /** Redis answered. */
  answered(): void {
    if (this.sharedNow) return;
    this.sharedNow = true;
    this.changed?.(true);
    this.log.info(this.messages.back);
  }
}
