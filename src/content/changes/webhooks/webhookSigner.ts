import { Webhook } from 'standardwebhooks';

/** The three headers of a Standard Webhooks message. */
export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Signs one attempt as the Standard Webhooks specification says, with its reference library (the
 * one consumers verify with): HMAC-SHA256 over "<id>.<timestamp>.<body>", keyed with the
 * secret's bytes, sent as "v1,<base64>". The id is the event's (the same on every retry: the
 * consumer's idempotency key); the timestamp is this attempt's, in whole seconds, and must be the
 * real time: receivers refuse one more than five minutes from their own clock.
 */
export function signWebhook(
  secret: string,
  messageId: string,
  sentAt: Date,
  body: string,
): WebhookHeaders {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, sentAt, body),
  };
}
