import DataLoader from 'dataloader';
import type { AnswerKeys } from './answerKeys';
import { RankingMetric, type ViewWindow } from '../entities/enums';
import type { RankingSnapshots } from '../views/rankings';

export interface ViewCountKey {
  articleId: number;
  window: ViewWindow;
}

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
      const windows = [...new Set(keys.map(key => key.window))];
      const snapshots = new Map(
        await Promise.all(
          windows.map(
            async window =>
              [window, await rankings.snapshot(window, RankingMetric.VIEWS, null, now)] as const,
          ),
        ),
      );
      return keys.map(key => {
        const snapshot = snapshots.get(key.window);
        const position = snapshot?.positionOf.get(key.articleId);
        return position === undefined || !snapshot ? 0 : snapshot.entries[position].views;
      });
    },
    { cacheKeyFn: key => `${key.articleId}:${key.window}` },
  );
}
