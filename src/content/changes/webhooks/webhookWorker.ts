import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { nextAttemptAt } from './retrySchedule';
import {
  claimDue,
  fanOut,
  nextDueAt,
  pruneDeliveries,
  type ClaimedDelivery,
  type ReadChanges,
  recordAttempt,
} from './webhookDeliveries';
import {
  configKeys,
  listEndpoints,
  syncConfigEndpoints,
  type WebhookEndpoint,
} from './webhookEndpoints';
import { webhookMessageId } from './webhookPayload';
import { openWebhookSecret } from './webhookSecret';
import { sendWebhook, type SendResult } from './webhookSender';
import { signWebhook } from './webhookSigner';
import type { WebhookSettings } from '../../../config';
import { type Clock, systemClock } from '../../../ops/clock';
import type { Metrics } from '../../../ops/metrics';
import type { ChangeEvent } from '../changeEvent';

export interface WebhookWorkerOptions {
  db: DataSource;
  readChanges: ReadChanges;
  settings: WebhookSettings;
  log: Logger;
  metrics: Metrics;
  /** Schedules retries and ages (the gateway's clock; tests move it). */
  clock?: Clock;
  /** The webhook-timestamp: always the real time, which receivers check against their own. */
  wallClock?: Clock;
  random?: () => number;
}

// At most this many deliveries claimed in one pass (across endpoints); the next pass takes more.
const claimsPerPass = 100;
// The longest the worker sleeps with deliveries pending (another replica's, a lease).
const maxSleepMs = 60_000;
const pruneEveryMs = 3_600_000;
// How long an empty endpoint list is believed (a command's endpoint is added in another process).
const emptyListRefreshMs = 60_000;
const retryPassMs = 5000;

/**
 * Delivers change events to the webhook endpoints, at least once, from the outbox: its own
 * asynchronous loop, so a dead or slow endpoint never holds up a request, a write or the view
 * flusher (no request waits for it; its transactions are a few short statements, never open
 * across a network call). One pass fans the released events out into the durable delivery
 * queue, claims what is due (at most WEBHOOK_CONCURRENCY in flight per endpoint) and sends each
 * signed with the event's id; a failed attempt is due again with backoff and jitter until
 * WEBHOOK_MAX_ATTEMPTS or WEBHOOK_MAX_AGE_HOURS. Passes run when the change feed hands on
 * events (release), when a retry is due, and after each answer; never on an idle timer.
 */
export class WebhookWorker {
  private readonly clock: Clock;
  private readonly wallClock: Clock;
  private readonly inFlight = new Map<number, number>();
  private readonly sends = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  /** The highest event id the change feed has handed on. */
  private feedUpTo = 0;
  private catchingUp = false;
  private running: Promise<void> | null = null;
  private again = false;
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private lastPruneAt = 0;
  private noEndpointsSince: number | null = null;
  private readonly unusable = new Set<number>();

  constructor(private readonly options: WebhookWorkerOptions) {
    this.clock = options.clock ?? systemClock;
    this.wallClock = options.wallClock ?? systemClock;
  }

  /**
   * Mirrors the WEBHOOKS setting into the endpoints table and starts: every event already in the
   * outbox past the cursor (left by a process that stopped or crashed) counts as released.
   */
  async start(): Promise<void> {
    await syncConfigEndpoints(this.options.db, this.options.settings.endpoints, this.clock());
    this.started = true;
    this.catchingUp = true;
    try {
      await this.pass();
    } finally {
      // From here on only what the change feed has handed on (after the caches) goes out.
      this.catchingUp = false;
    }
  }

  /**
   * The change feed's listener (registered last, after the caches): these events are visible
   * and the gateway's caches have dropped what they invalidate, so they may go out. Returns at
   * once; the sending happens in the worker's own loop.
   */
  readonly onChange = (events: readonly ChangeEvent[]): void => {
    for (const event of events) this.feedUpTo = Math.max(this.feedUpTo, event.id);
    this.nudge();
  };

  /** Runs a pass soon (coalesced with one that is running). */
  nudge(): void {
    if (!this.started || this.stopping.signal.aborted) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.pass();
    });
  }

  /** Stops passes and aborts sends in flight (their deliveries stay claimed until the lease ends). */
  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await Promise.allSettled([...this.sends]);
  }

  /** Resolves when no pass is running and no send is in flight (for tests and the shutdown). */
  async idle(): Promise<void> {
    while (this.scheduled || this.running || this.sends.size > 0) {
      await new Promise(resolve => setImmediate(resolve));
      await this.running;
      await Promise.allSettled([...this.sends]);
    }
  }

  private pass(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.passOnce();
        } catch (error) {
          if (this.stopping.signal.aborted) return;
          // A database outage: try again in a while (or on the next change), from the same state.
          this.options.log.error({ err: error }, 'webhook pass failed; retrying');
          this.sleep(retryPassMs);
        }
      } while (this.again && !this.stopping.signal.aborted);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async passOnce(): Promise<void> {
    const { db, settings } = this.options;
    const now = this.clock().getTime();
    // Where no endpoint exists (the default), a change costs no statement: the empty list is
    // read again at most once a minute, so the command's first endpoint is seen within one. The
    // cursor stays meanwhile; that endpoint's fan-out then walks the backlog and sends it the
    // events from its creation on, none before.
    if (this.noEndpointsSince !== null && now - this.noEndpointsSince < emptyListRefreshMs) return;
    const endpoints = await listEndpoints(db);
    this.noEndpointsSince = endpoints.length === 0 ? now : null;
    if (endpoints.length === 0) return;
    const released = this.catchingUp ? Number.MAX_SAFE_INTEGER : this.feedUpTo;
    while ((await fanOut(db, this.options.readChanges, released, endpoints, now)) > 0) {
      if (this.stopping.signal.aborted) return;
    }
    const byId = new Map(endpoints.map(endpoint => [endpoint.id, endpoint]));
    const secrets = this.secrets(endpoints);
    const room = (endpointId: number) =>
      secrets.has(endpointId) ? settings.concurrency - (this.inFlight.get(endpointId) ?? 0) : 0;
    const leaseMs = settings.timeoutMs * 2 + 1000;
    const claimed = await claimDue(db, now, leaseMs, room, claimsPerPass);
    for (const delivery of claimed) {
      const endpoint = byId.get(delivery.endpointId);
      const secret = secrets.get(delivery.endpointId);
      if (!endpoint || !secret) continue;
      this.launch(endpoint, secret, delivery);
    }
    if (now - this.lastPruneAt >= pruneEveryMs) {
      this.lastPruneAt = now;
      await pruneDeliveries(db, now - settings.logRetentionMs);
    }
    await this.scheduleNext(now);
  }

  /** The secret of each endpoint this process can sign for (the setting's, or opened). */
  private secrets(endpoints: readonly WebhookEndpoint[]): Map<number, string> {
    const { settings, log } = this.options;
    const fromSetting = new Map(
      configKeys(settings.endpoints).map((key, index) => [key, settings.endpoints[index].secret]),
    );
    const secrets = new Map<number, string>();
    for (const endpoint of endpoints) {
      try {
        const secret = endpoint.configKey
          ? fromSetting.get(endpoint.configKey)
          : openWebhookSecret(endpoint.storedSecret ?? '', settings.secretKey);
        if (secret) secrets.set(endpoint.id, secret);
      } catch (error) {
        // Its deliveries wait (pending) until the process has the key; said once per process.
        if (!this.unusable.has(endpoint.id)) {
          this.unusable.add(endpoint.id);
          log.error({ endpoint: endpoint.id, err: error }, 'webhook endpoint secret unusable');
        }
      }
    }
    return secrets;
  }

  private launch(endpoint: WebhookEndpoint, secret: string, delivery: ClaimedDelivery): void {
    this.inFlight.set(endpoint.id, (this.inFlight.get(endpoint.id) ?? 0) + 1);
    const send = this.attempt(endpoint, secret, delivery)
      .catch(error => {
        if (!this.stopping.signal.aborted) {
          this.options.log.error(
            { err: error, delivery: delivery.id },
            'webhook attempt not recorded',
          );
        }
      })
      .finally(() => {
        this.inFlight.set(endpoint.id, (this.inFlight.get(endpoint.id) ?? 1) - 1);
        this.sends.delete(send);
        this.nudge();
      });
    this.sends.add(send);
  }

  private async attempt(
    endpoint: WebhookEndpoint,
    secret: string,
    delivery: ClaimedDelivery,
  ): Promise<void> {
    const { settings, metrics, db } = this.options;
    const headers = signWebhook(
      secret,
      webhookMessageId(delivery.eventId),
      this.wallClock(),
      delivery.body,
    );
    const result: SendResult = await sendWebhook(
      endpoint.url,
      headers,
      delivery.body,
      settings.timeoutMs,
      this.stopping.signal,
    );
    // Stopped mid-send: not recorded; the lease makes it due again for the next process.
    if (this.stopping.signal.aborted) return;
    const now = this.clock().getTime();
    const next = result.ok
      ? null
      : nextAttemptAt(
          delivery.attempts + 1,
          delivery.createdAt,
          now,
          settings,
          this.options.random,
        );
    const outcome = result.ok ? 'delivered' : next === null ? 'failed' : 'retrying';
    metrics.webhookAttempts.inc({ outcome });
    metrics.webhookDuration.observe({ outcome }, result.durationMs / 1000);
    if (!result.ok) {
      this.options.log.warn(
        {
          endpoint: endpoint.id,
          event: delivery.eventId,
          attempt: delivery.attempts + 1,
          error: result.error,
        },
        outcome === 'failed' ? 'webhook delivery given up' : 'webhook attempt failed; retrying',
      );
    }
    await recordAttempt(
      db,
      delivery,
      result,
      result.ok
        ? { status: 'delivered' }
        : next === null
          ? { status: 'failed' }
          : { status: 'pending', nextAttemptAt: next },
      now,
    );
  }

  /** Sleeps until the earliest pending delivery is due (at most maxSleepMs), or until nudged. */
  private async scheduleNext(now: number): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const due = await nextDueAt(this.options.db);
    if (due === null) return;
    this.sleep(Math.min(Math.max(due - now, 0), maxSleepMs));
  }

  /** Runs a pass after delayMs (replacing any earlier wake-up). */
  private sleep(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopping.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.nudge();
    }, delayMs);
    this.timer.unref();
  }
}
