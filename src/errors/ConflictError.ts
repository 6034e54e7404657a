import { GraphQLError } from 'graphql';

/**
 * A write based on a version that is no longer the current one (a lost update refused): HTTP 409,
 * as RFC 9110 15.5.10 has it for a request that conflicts with the target's current state. The
 * client reads the current version (extensions.currentRevision, extensions.updatedAt), merges and
 * sends the write again with it.
 */
export class ConflictError extends GraphQLError {
  constructor(message: string, current: { revision: number; updatedAt: Date }) {
    super(message, {
      extensions: {
        code: 'CONFLICT',
        currentRevision: current.revision,
        updatedAt: current.updatedAt.toISOString(),
        http: { status: 409 },
      },
    });
  }
}
