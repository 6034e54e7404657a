import type { ChangeEvent } from '../changeEvent';

/**
 * The body of a webhook for one change event, in the Standard Webhooks payload structure:
 * { type, timestamp, data }, where data is the change event itself (version 1, the shape of
 * src/content/changes/changeEvent.ts, as the `changes` query gives it). Made once per delivery
 * and kept, so every retry sends (and signs) the same bytes.
 */
export function webhookPayload(event: ChangeEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt, data: event });
}

/** The webhook-id of an event: its outbox id, the same for every endpoint and every retry. */
export function webhookMessageId(eventId: number): string {
  return `evt_${eventId}`;
}
