import { GraphQLError } from 'graphql';

/** The request needs a token and sent none, or one that is unknown or revoked. */
export class UnauthenticatedError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'UNAUTHENTICATED' } });
  }
}
