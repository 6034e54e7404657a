import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

// How long a client is asked to wait: a restarted or failed-over PostgreSQL is usually back
// within seconds, and the view flusher retries every second meanwhile.
export const serviceUnavailableRetryAfterSeconds = 5;

/**
 * The request needs the database and the database cannot be reached: HTTP 503 with Retry-After
 * (RFC 9110, 15.6.4). The message says nothing about the database beyond that it is unavailable.
 */
export class ServiceUnavailableError extends GraphQLError {
  constructor(
    message = `The service is unavailable for a moment (its database cannot be reached). Retry after ${serviceUnavailableRetryAfterSeconds} s.`,
    retryAfterSeconds = serviceUnavailableRetryAfterSeconds,
  ) {
    super(message, {
      extensions: {
        code: 'SERVICE_UNAVAILABLE',
        retryAfterSeconds,
        http: {
          status: 503,
          headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]),
        },
      },
    });
  }
}
