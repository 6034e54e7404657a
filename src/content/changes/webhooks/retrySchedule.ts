import type { WebhookSettings } from '../../../config';

export type RetrySettings = Pick<
  WebhookSettings,
  'retryBaseMs' | 'retryMaxMs' | 'maxAttempts' | 'maxAgeMs'
>;

/**
 * The delay before attempt n + 1 after n failed attempts: exponential (base, 2 base, 4 base ...,
 * capped at retryMaxMs) with "equal jitter" (AWS Architecture Blog, "Exponential Backoff And
 * Jitter", Brooker 2015): half the step fixed, half random, so endpoints that failed together
 * (one outage) are not retried in lockstep, yet no retry comes sooner than half its step.
 * random is [0, 1), Math.random by default (tests pass their own).
 */
export function retryDelayMs(
  failedAttempts: number,
  settings: RetrySettings,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 40);
  const step = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** exponent);
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * When the next attempt is due after a failure, or null when the delivery is given up: after
 * maxAttempts attempts, or when the next one would come later than maxAgeMs after the delivery
 * was created.
 */
export function nextAttemptAt(
  failedAttempts: number,
  createdAt: number,
  now: number,
  settings: RetrySettings,
  random: () => number = Math.random,
): number | null {
  if (failedAttempts >= settings.maxAttempts) return null;
  const at = now + retryDelayMs(failedAttempts, settings, random);
  return at - createdAt > settings.maxAgeMs ? null : at;
}
