import { GraphQLError } from 'graphql';

/**
 * The client sent an argument that cannot be served; the message says what was expected. HTTP
 * 400 wherever it is thrown (a resolver's cursor or a check before execution), as Apollo answers
 * variables that do not coerce: one status for BAD_USER_INPUT. Where one input field is at fault,
 * `field` names it as the client wrote it ("input.slug"), in extensions.field.
 */
export class BadUserInputError extends GraphQLError {
  constructor(message: string, field?: string) {
    super(message, {
      extensions: {
        code: 'BAD_USER_INPUT',
        ...(field !== undefined ? { field } : {}),
        http: { status: 400 },
      },
    });
  }
}
