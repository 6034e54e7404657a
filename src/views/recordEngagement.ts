import { checkViewId } from './engagementLedger';
import type { ViewRequest } from './recordView';
import { BadUserInputError } from '../errors/BadUserInputError';

/** Visible time beyond this counts as this much: a tab forgotten in front is not a 3-hour read. */
export const maxEngagedSeconds = 30 * 60;

export interface RecordEngagementArgs {
  /** The viewId the view was recorded with. */
  viewId: string;
  /** Seconds the page was visible, in all (capped at maxEngagedSeconds). */
  visibleSeconds: number;
  /** The deepest scroll position reached, 0 to 100 per cent of the article (capped at 100). */
  scrollPercent?: number | null;
}

/** Why an engagement report was not counted; null where it was. */
export type EngagementRefusal = 'unknown' | 'repeat';

export interface RecordEngagementResult {
  counted: boolean;
  reason: EngagementRefusal | null;
  /** Whether the view counts as a read (READ_MIN_SECONDS or READ_MIN_SCROLL). */
  read: boolean;
}

function checkWhole(name: string, value: unknown, max: number | null): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new BadUserInputError(
      `${name} must be a whole number of at least 0, got ${JSON.stringify(value)}.`,
    );
  }
  return max === null ? value : Math.min(value, max);
}

/**
 * The engagement report of a view counted earlier (in this process, or on any replica with
 * REDIS_URL; within two hours): its
 * visible seconds and deepest scroll, once per view id. Buffered for the flusher in the hour of
 * the view, so that reads never outnumber the views of their bucket. No SQL (with REDIS_URL one
 * Redis round trip).
 */
export async function recordEngagement(
  context: Pick<ViewRequest, 'now' | 'views'>,
  settings: { readMinSeconds: number; readMinScroll: number },
  args: RecordEngagementArgs,
): Promise<RecordEngagementResult> {
  checkViewId(args.viewId);
  const seconds = Math.min(
    checkWhole('visibleSeconds', args.visibleSeconds, null),
    maxEngagedSeconds,
  );
  const scroll =
    args.scrollPercent == null ? 0 : checkWhole('scrollPercent', args.scrollPercent, 100);
  const counter = context.views.counter;
  const claim = await counter.engagement.claim(args.viewId, context.now.getTime());
  if (!claim.claimed) {
    counter.engagementRecorded(claim.reason);
    return { counted: false, reason: claim.reason, read: false };
  }
  const read = seconds >= settings.readMinSeconds || scroll >= settings.readMinScroll;
  counter.details.addEngagement(claim.articleId, claim.viewHour, seconds, read);
  counter.engagementRecorded('counted');
  return { counted: true, reason: null, read };
}
