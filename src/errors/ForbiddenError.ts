import { GraphQLError } from 'graphql';

/** The token is valid but lacks the scope the request needs. */
export class ForbiddenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'FORBIDDEN' } });
  }
}
