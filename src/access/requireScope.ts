import type { Viewer } from './viewer';
import { ForbiddenError } from '../errors/ForbiddenError';
import { UnauthenticatedError } from '../errors/UnauthenticatedError';

/**
 * Throws UNAUTHENTICATED without an active token and FORBIDDEN for a token without `scope`;
 * the messages say what was expected and what arrived (never the secret).
 */
export function requireScope(viewer: Viewer, scope: string): void {
  if (viewer.rejectedToken) {
    throw new UnauthenticatedError(
      `expected Authorization: Bearer <secret> of an active token with ${scope}, got an unknown or revoked token.`,
    );
  }
  if (viewer.tokenName === null) {
    throw new UnauthenticatedError(
      `expected Authorization: Bearer <secret> of a token with ${scope}, got no token.`,
    );
  }
  if (!viewer.scopes.has(scope)) {
    throw new ForbiddenError(
      `expected a token with ${scope}, got token "${viewer.tokenName}" with ${[...viewer.scopes].join(', ') || 'no scopes'}.`,
    );
  }
}
