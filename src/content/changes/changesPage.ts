import type { DataSource } from 'typeorm';
import { outboxPosition, readStoredChangesAfter, type StoredChange } from './readChanges';
import { BadUserInputError } from '../../errors/BadUserInputError';
import { decodeCursor, encodeCursor } from '../../relay/cursor';

const cursorKind = 'changes';

/** The cursor that points after event `id` (the `changes` query's, and changesCursor's). */
export function changeCursor(id: number): string {
  return encodeCursor(cursorKind, [id]);
}

/**
 * A cursor the outbox can no longer continue: its events were pruned (CHANGE_RETENTION_DAYS),
 * or the history does not go back to an empty database. BAD_USER_INPUT with
 * `extensions.resync: true`: read everything again, from `changesCursor` on.
 */
export class ResyncRequiredError extends BadUserInputError {
  constructor(message: string) {
    super(message, 'after');
    Object.assign(this.extensions, { resync: true });
  }
}

/**
 * One page of public changes after the cursor `after` (null: from the first event), in commit
 * order, and whether more follow. The position is read after the page: a prune that committed
 * before the page was read shows in it, so a page never silently skips pruned events.
 */
export async function changesPage(
  db: DataSource,
  after: string | null,
  first: number,
): Promise<{ changes: StoredChange[]; hasNextPage: boolean; afterId: number }> {
  const afterId = after == null ? 0 : decodeCursor(after, cursorKind, ['safeInteger'] as const)[0];
  const rows = await readStoredChangesAfter(db, afterId, first + 1, { publicOnly: true });
  const position = await outboxPosition(db);
  if (afterId < position.prunedThrough) {
    throw new ResyncRequiredError(
      `resync: the changes after this cursor are older than CHANGE_RETENTION_DAYS and were pruned (through event ${position.prunedThrough}); read all content again and continue from changesCursor.`,
    );
  }
  if (afterId === 0 && !position.fromStart) {
    throw new ResyncRequiredError(
      'resync: the change history does not go back to an empty database (content existed before it); read all content and continue from changesCursor.',
    );
  }
  return { changes: rows.slice(0, first), hasNextPage: rows.length > first, afterId };
}
