import type { WebhookHeaders } from './webhookSigner';

/** What one attempt came to. */
export interface SendResult {
  /** A 2xx answer: delivered. */
  ok: boolean;
  /** The answer's status, or null where none came (refused, reset, timed out). */
  statusCode: number | null;
  durationMs: number;
  /** Why it failed, in a line for the delivery log; null when ok. */
  error: string | null;
}

/** At most this much of a failed answer's body goes into the log line. */
const errorBodyChars = 200;

/**
 * POSTs one signed message and waits at most timeoutMs for the whole exchange (a receiver that
 * accepts and never answers costs one timeout, never more). Redirects are not followed (a 3xx is
 * a failure: the URL registered is the one signed for); only a 2xx is a delivery. stop aborts
 * it early (the gateway stopping). Never throws.
 */
export async function sendWebhook(
  url: string,
  headers: WebhookHeaders,
  body: string,
  timeoutMs: number,
  stop?: AbortSignal,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = stop ? AbortSignal.any([timeout, stop]) : timeout;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'user-agent': 'content-gateway-webhooks/1',
      },
      body,
      redirect: 'manual',
      signal,
    });
    if (response.status >= 200 && response.status < 300) {
      // The body is not read: the answer's status is the acknowledgement.
      await response.body?.cancel().catch(() => undefined);
      return { ok: true, statusCode: response.status, durationMs: elapsed(), error: null };
    }
    const text = await response.text().catch(() => '');
    return {
      ok: false,
      statusCode: response.status,
      durationMs: elapsed(),
      error: `HTTP ${response.status}${text ? `: ${text.slice(0, errorBodyChars)}` : ''}`,
    };
  } catch (error) {
    const timedOut = timeout.aborted;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return {
      ok: false,
      statusCode: null,
      durationMs: elapsed(),
      error: timedOut
        ? `timed out after ${timeoutMs} ms`
        : (cause?.code ?? cause?.message ?? (error as Error).message),
    };
  }
}
