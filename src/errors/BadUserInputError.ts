import { GraphQLError } from 'graphql';

/** The client sent an argument that cannot be served; the message says what was expected. */
export class BadUserInputError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT' } });
  }
}
