import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Redaction is a second line of defence: the code never logs IPs, tokens or
 * variables in the first place.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'content-gateway' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.authorization',
        '*.token',
        '*.ip',
      ],
      censor: '[redacted]',
    },
  });
}
