import { GraphQLError } from 'graphql';

/**
 * The client sent an argument that cannot be served; the message says what was expected. HTTP
 * 400 wherever it is thrown (a resolver's cursor or a check before execution), as Apollo answers
 * variables that do not coerce: one status for BAD_USER_INPUT.
 */
export class BadUserInputError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
  }
}
