import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

/** Too many requests in the current window: HTTP 429 with Retry-After, as RFC 6585 describes. */
export class RateLimitedError extends GraphQLError {
  constructor(message: string, retryAfterSeconds: number) {
    super(message, {
      extensions: {
        code: 'RATE_LIMITED',
        retryAfterSeconds,
        http: {
          status: 429,
          headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]),
        },
      },
    });
  }
}
