import { GraphQLError } from 'graphql';

/** Which limit a rejected request broke; also the label of gateway_rejected_queries_total. */
export type QueryLimitName =
  | 'depth'
  | 'cost'
  | 'aliases'
  | 'directives'
  | 'tokens'
  | 'length'
  | 'body_size';

/**
 * A request over one of the query limits, refused before any resolver runs. The message names the
 * limit, the setting that raises it and the value that arrived; HTTP 400 (413 for the body size).
 */
export class QueryTooComplexError extends GraphQLError {
  constructor(
    readonly limit: QueryLimitName,
    message: string,
    details: { maximum: number; value: number },
  ) {
    super(message, {
      extensions: {
        code: 'QUERY_TOO_COMPLEX',
        limit,
        maximum: details.maximum,
        value: details.value,
        http: { status: limit === 'body_size' ? 413 : 400 },
      },
    });
  }
}
