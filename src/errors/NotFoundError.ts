import { GraphQLError } from 'graphql';

/** The thing the client named does not exist, or is not public. */
export class NotFoundError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'NOT_FOUND' } });
  }
}
