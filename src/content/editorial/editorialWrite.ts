import type { EditorialServices } from './editorialServices';
import type { Actor } from './revisions';
import { clientKey } from '../../access/rateLimiter';
import { requireScope } from '../../access/requireScope';
import type { Viewer } from '../../access/viewer';
import { RateLimitedError } from '../../errors/RateLimitedError';

/** The scope every editorial write needs. */
export const writeScope = 'content:write';

/** The writes that can add, move or drop a scheduled publication. */
const schedulingOperations = new Set([
  'publishArticle',
  'unpublishArticle',
  'archiveArticle',
  'deleteArticle',
]);

/** What one write logs besides the token and operation: the id of what it changed. */
export type WriteTarget = { articleId: string } | { authorId: string } | { tagId: string };

/**
 * Runs one editorial write for a request: UNAUTHENTICATED without a token, FORBIDDEN without
 * content:write, RATE_LIMITED (429, Retry-After) over WRITE_RATE_PER_MINUTE for the token, then
 * the write; after it committed, the publication schedule is told (for a publish, unpublish,
 * archive or delete), the change feed is nudged, and one line is logged: the token's name, the
 * operation and the id written, never the content and never a secret.
 */
export async function editorialWrite<T>(
  services: EditorialServices,
  request: { viewer: Viewer; now: Date },
  operation: string,
  write: (actor: Actor) => Promise<T>,
  targetOf: (result: T) => WriteTarget,
): Promise<T> {
  const { viewer, now } = request;
  requireScope(viewer, writeScope);
  const tokenName = viewer.tokenName as string;
  const limit = services.settings.writesPerMinute;
  if (limit > 0) {
    const result = await services.limiter.hit(
      `writes_token:${clientKey('token', tokenName)}`,
      1,
      limit,
      now.getTime(),
    );
    if (!result.allowed) {
      throw new RateLimitedError(
        `Too many content writes: the limit is ${limit} a minute for each token (WRITE_RATE_PER_MINUTE), got ${result.count}. Retry after ${result.retryAfterSeconds} s.`,
        result.retryAfterSeconds,
      );
    }
  }
  const written = await write({ tokenName, operation });
  // A publish with a later `at` schedules an article (and taking one out of public drops its
  // time): the schedule reads its next time again now, not at its next 30 s refresh, so public
  // max-ages are capped by it from this answer on. Other writes leave the schedule as it was.
  if (schedulingOperations.has(operation)) await services.publications.changed();
  // The write's change event is in the outbox: the feed's listeners (the gateway's caches) run
  // before the answer, so a client that reads again at once sees the change.
  await services.changes.nudge();
  services.log.info({ token: tokenName, operation, ...targetOf(written) }, 'content write');
  return written;
}
