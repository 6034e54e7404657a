import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A secret or a sealed secret is unusable: says what was expected. */
export class WebhookSecretError extends Error {
  override readonly name = 'WebhookSecretError';
}

const prefix = 'whsec_';

/**
 * A new endpoint secret as Standard Webhooks writes them: whsec_ and the base64 of random bytes
 * (the specification asks for 24 to 64; 32 here, the HMAC-SHA256 block's half).
 */
export function generateWebhookSecret(): string {
  return prefix + randomBytes(32).toString('base64');
}

/**
 * Checks a secret given by the operator: whsec_ and standard base64 of 24 to 64 bytes (the
 * Standard Webhooks specification's bounds). Returns it unchanged; throws WebhookSecretError.
 */
export function checkWebhookSecret(secret: string): string {
  const body = secret.startsWith(prefix) ? secret.slice(prefix.length) : null;
  const bytes =
    body !== null && /^[A-Za-z0-9+/]+={0,2}$/.test(body) ? Buffer.from(body, 'base64') : null;
  if (!bytes || bytes.length < 24 || bytes.length > 64) {
    throw new WebhookSecretError(
      'expected a secret such as whsec_ followed by the base64 of 24 to 64 random bytes (leave --secret out to have one made).',
    );
  }
  return secret;
}

// Sealed secrets: "v1." + base64url(nonce 12 | tag 16 | ciphertext), AES-256-GCM under
// WEBHOOK_SECRET_KEY. Without the key a secret is kept as "plain." + the secret (outside
// production only: the command refuses it in production).
const sealedPrefix = 'v1.';
const plainPrefix = 'plain.';
const associatedData = Buffer.from('content-gateway webhook secret');

/** The stored form of an endpoint secret: sealed with key where there is one, else plain. */
export function sealWebhookSecret(secret: string, key: Buffer | null): string {
  if (!key) return plainPrefix + secret;
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(associatedData);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return sealedPrefix + Buffer.concat([nonce, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** Whether a stored secret is sealed (needs WEBHOOK_SECRET_KEY to be used). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(sealedPrefix);
}

/** The secret of a stored form; throws WebhookSecretError without the right key. */
export function openWebhookSecret(stored: string, key: Buffer | null): string {
  if (stored.startsWith(plainPrefix)) return stored.slice(plainPrefix.length);
  if (!isSealed(stored)) throw new WebhookSecretError('unknown stored secret format.');
  if (!key) {
    throw new WebhookSecretError(
      'this endpoint secret is sealed; the gateway needs the WEBHOOK_SECRET_KEY it was sealed with.',
    );
  }
  const raw = Buffer.from(stored.slice(sealedPrefix.length), 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(associatedData);
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new WebhookSecretError(
      'this endpoint secret does not open with WEBHOOK_SECRET_KEY (sealed with another key?).',
    );
  }
}
