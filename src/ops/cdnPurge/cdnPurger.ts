import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { PurgeAdapter } from './purgeAdapter';

export interface CdnPurgerOptions {
  log: Logger;
  /** The gateway's metrics registry: gateway_cdn_purge_calls_total is registered on it. */
  registry: Registry;
  /** Attempts after the first (PURGE_RETRIES). */
  retries: number;
  /** The wait before the first retry, doubled for each next one (with up to 20% jitter). */
  retryDelayMs?: number;
  /** How long one call may take before it counts as failed. */
  timeoutMs?: number;
}

type Outcome = 'ok' | 'retry' | 'failed';

/**
 * Purges cache keys at a CDN through one adapter, off the request path: `purgeKeys` only adds the
 * keys to a pending set and returns; one worker sends them in the adapter's batch size, one call
 * at a time, retrying a network error, a timeout, a 429 or a 5xx with exponential backoff (a
 * 4xx other than 429 is a setting to fix: logged, not retried). Keys that arrive while a call runs
 * or waits go out together in the next round, so a burst of changes costs few calls and a dead
 * endpoint never slows a request, only the purges behind it.
 */
export class CdnPurger {
  private readonly pending = new Set<string>();
  private running: Promise<void> | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  private readonly calls: Counter;
  private readonly retryDelayMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly adapter: PurgeAdapter,
    private readonly options: CdnPurgerOptions,
  ) {
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.calls = new Counter({
      name: 'gateway_cdn_purge_calls_total',
      help: 'Calls to the CDN purge API by adapter and result: ok, retry (failed, tried again), failed (given up).',
      labelNames: ['adapter', 'result'],
      registers: [options.registry],
    });
  }

  /** Queues the keys for purging and returns at once. */
  purgeKeys(keys: Iterable<string>): void {
    if (this.stopped) return;
    for (const key of keys) this.pending.add(key);
    if (this.pending.size > 0 && !this.running) {
      this.running = this.drain().finally(() => {
        this.running = null;
      });
    }
  }

  /** Resolves when every queued key has been purged or given up on (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops retrying and waiting: what is in flight finishes, nothing new starts. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.idle();
  }

  private async drain(): Promise<void> {
    // Keys queued in the same turn of the event loop (the events of one commit) go in one call.
    await new Promise(resolve => setImmediate(resolve));
    while (this.pending.size > 0 && !this.stopped) {
      const keys = [...this.pending];
      this.pending.clear();
      for (let at = 0; at < keys.length; at += this.adapter.batchSize) {
        await this.send(keys.slice(at, at + this.adapter.batchSize));
      }
    }
  }

  private async send(keys: string[]): Promise<void> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(keys);
      const last = attempt >= this.options.retries || this.stopped;
      if (outcome === 'ok') {
        this.calls.inc({ adapter: this.adapter.name, result: 'ok' });
        this.options.log.debug(
          {
            adapter: this.adapter.name,
            keys: keys.length,
            attempts: attempt + 1,
            ms: Date.now() - started,
          },
          'cdn purge done',
        );
        return;
      }
      if (outcome === 'failed' || last) {
        this.calls.inc({ adapter: this.adapter.name, result: 'failed' });
        this.options.log.error(
          { adapter: this.adapter.name, keys: keys.length, attempts: attempt + 1 },
          'cdn purge failed: cached answers with these keys live until their max-age',
        );
        return;
      }
      this.calls.inc({ adapter: this.adapter.name, result: 'retry' });
      const delay = this.retryDelayMs * 2 ** attempt * (1 + Math.random() * 0.2);
      await this.sleep(delay);
    }
  }

  private async attempt(keys: string[]): Promise<Outcome> {
    const call = this.adapter.call(keys);
    try {
      const response = await fetch(call.url, {
        method: 'POST',
        headers: call.headers,
        body: call.body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const body = await response.text();
      if (response.ok && (this.adapter.accepted?.(body) ?? true)) return 'ok';
      this.options.log.warn(
        { adapter: this.adapter.name, status: response.status, body: body.slice(0, 300) },
        'cdn purge refused',
      );
      return response.status === 429 || response.status >= 500 || response.ok ? 'retry' : 'failed';
    } catch (error) {
      this.options.log.warn({ adapter: this.adapter.name, err: error }, 'cdn purge unreachable');
      return 'retry';
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise(resolve => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}
