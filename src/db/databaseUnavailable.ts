import { ServiceUnavailableError } from '../errors/ServiceUnavailableError';

// Error codes that mean the database cannot be reached, not that a statement is wrong.
const unavailableCodes = new Set([
  // Node's sockets: nothing listens, the connection broke, the host or its name is unreachable.
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL SQLSTATE (Appendix A): class 08 connection exceptions; 53300 too_many_connections;
  // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting or in recovery).
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
  '57P01',
  '57P02',
  '57P03',
]);

// node-postgres and pg-pool fail a broken or timed-out connection with these messages and no code
// (pg/lib/client.js, pg-pool/index.js).
const unavailableMessages = [
  /^Connection terminated/,
  /^timeout expired$/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
];

/**
 * Whether an error means the database is unreachable (down, restarting, the network cut, the
 * pool out of connections) rather than a wrong statement. Looks through TypeORM's
 * QueryFailedError (driverError), `cause` and AggregateError's `errors`, a few levels deep.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (error instanceof ServiceUnavailableError) return true;
  if (depth > 4 || error === null || typeof error !== 'object') return false;
  const { code, message, driverError, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && unavailableCodes.has(code)) return true;
  if (typeof message === 'string' && unavailableMessages.some(pattern => pattern.test(message))) {
    return true;
  }
  return (
    isDatabaseUnavailable(driverError, depth + 1) ||
    isDatabaseUnavailable(cause, depth + 1) ||
    (Array.isArray(errors) && errors.some(inner => isDatabaseUnavailable(inner, depth + 1)))
  );
}

/** A ServiceUnavailableError for an error that means the database is unreachable; else the error. */
export function unavailableOr(error: unknown): unknown {
  if (error instanceof ServiceUnavailableError || !isDatabaseUnavailable(error)) return error;
  return new ServiceUnavailableError();
}
