import DataLoader from 'dataloader';
import type { AnswerKeys } from './answerKeys';
import { RankingMetric, type ViewWindow } from '../entities/enums';
import type { Period } from '../views/rankingPeriods';
import type { RankingSnapshots } from '../views/rankings';

export interface ViewCountKey {
  articleId: number;
  window: ViewWindow;
  /** The hours of a custom range (window CUSTOM). */
  custom?: Period | null;
}

const periodKey = (key: ViewCountKey) =>
  key.custom ? `${key.window}:${key.custom.start}:${key.custom.end}` : key.window;

/**
 * Article.viewCount(window) from the same unfiltered VIEWS snapshot mostRead reads, so the two
 * always agree; one snapshot lookup per window and request, whatever the number of articles.
 */
export function viewCountByArticleId(
  rankings: RankingSnapshots,
  now: Date,
  answerKeys: AnswerKeys,
) {
  return new DataLoader<ViewCountKey, number, string>(
    async keys => {
      answerKeys.rankings();
      const windows = new Map(keys.map(key => [periodKey(key), key]));
      const snapshots = new Map(
        await Promise.all(
          [...windows].map(
            async ([name, key]) =>
              [
                name,
                await rankings.snapshot(key.window, RankingMetric.VIEWS, null, now, key.custom),
              ] as const,
          ),
        ),
      );
      return keys.map(key => {
        const snapshot = snapshots.get(periodKey(key));
        const position = snapshot?.positionOf.get(key.articleId);
        return position === undefined || !snapshot ? 0 : snapshot.entries[position].views;
      });
    },
    { cacheKeyFn: key => `${key.articleId}:${periodKey(key)}` },
  );
}
