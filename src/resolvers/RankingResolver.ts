import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import type { Article } from '../entities/Article';
import { RankingMetric, ViewWindow } from '../entities/enums';
import { BadUserInputError } from '../errors/BadUserInputError';
import { decodeCursor, encodeCursor } from '../relay/cursor';
import { PageInfo } from '../relay/PageInfo';
import { checkPageSize } from '../relay/pageSize';
import { type Period, requestedWindow } from '../views/rankingPeriods';
import { rankingKey } from '../views/rankings';
import { MostReadFilter } from './types/MostReadFilter';
import { RankedArticleConnection, RankedArticleEdge } from './types/RankedArticleConnection';
import { ViewPeriod, ViewRangeInput } from './types/ViewRangeInput';

/** A mostRead cursor: the ranking's key digest, the snapshot's id, the score and id of the entry. */
const mostReadCursorShape = ['text', 'safeInteger', 'double', 'id'] as const;

@Resolver(_of => RankedArticleConnection)
export class RankingResolver {
  @Query(_returns => RankedArticleConnection, {
    description:
      "Ranked articles for a 'most read' list, e.g. the sidebar of an article page. Cursors page the ranking the first page was read from (see computedAt).",
  })
  async mostRead(
    @Arg('first', _type => Int, { nullable: true, defaultValue: 5 }) first: number | null,
    @Arg('after', _type => String, { nullable: true }) after: string | null,
    @Arg('window', _type => ViewWindow, { nullable: true, defaultValue: ViewWindow.LAST_7_DAYS })
    window: ViewWindow | null,
    @Arg('metric', _type => RankingMetric, {
      nullable: true,
      defaultValue: RankingMetric.VIEWS,
    })
    metric: RankingMetric | null,
    @Arg('filter', _type => MostReadFilter, { nullable: true }) filter: MostReadFilter | null,
    @Arg('range', _type => ViewRangeInput, {
      nullable: true,
      description: 'A custom period instead of a window (window CUSTOM or left out).',
    })
    range: ViewRangeInput | null,
    @Ctx() { views, now, loaders, keys }: Context,
  ): Promise<RankedArticleConnection> {
    keys.rankings();
    const size = checkPageSize(first);
    const requested = requestedWindow(window, range, now, ViewWindow.LAST_7_DAYS);
    const effectiveWindow = requested.window;
    const effectiveMetric = metric ?? RankingMetric.VIEWS;
    if (effectiveMetric === RankingMetric.READS && filter?.source != null) {
      throw new BadUserInputError(
        'metric READS counts every source (reads are not kept per source), got filter.source too; leave out one of the two.',
      );
    }
    let cursor: { snapshotId: number; score: number; articleId: number } | null = null;
    if (after) {
      const [digest, snapshotId, score, articleId] = decodeCursor(
        after,
        'mostRead',
        mostReadCursorShape,
      );
      // Compared before the ranking is read: a cursor of another ranking costs no SQL.
      if (
        digest !== rankingKey(effectiveWindow, effectiveMetric, filter, requested.custom).keyDigest
      ) {
        throw new BadUserInputError(
          'after must be a cursor of mostRead with the same window, metric and filter, got one of another ranking.',
        );
      }
      cursor = { snapshotId, score, articleId };
    }
    const current = await views.rankings.snapshot(
      effectiveWindow,
      effectiveMetric,
      filter,
      now,
      requested.custom,
    );
    const { source, start, entries } = views.rankings.page(current, size, cursor);
    const articles = await loaders.articleById.loadMany(entries.map(entry => entry.articleId));
    const edges: RankedArticleEdge[] = [];
    entries.forEach((entry, index) => {
      const article = articles[index];
      // An article unpublished since the snapshot was read is left out; ranks keep their gap.
      if (!article || article instanceof Error) return;
      edges.push(
        Object.assign(new RankedArticleEdge(), {
          cursor: encodeCursor('mostRead', [
            source.keyDigest,
            source.id,
            entry.score,
            entry.articleId,
          ]),
          rank: start + index + 1,
          score: entry.score,
          views: entry.views,
          uniqueVisitors: entry.uniqueVisitors,
          previousRank: entry.previousRank,
          viewsChange: entry.previousViews === null ? null : entry.views - entry.previousViews,
          node: article as Article,
        }),
      );
    });
    return Object.assign(new RankedArticleConnection(), {
      edges,
      pageInfo: Object.assign(new PageInfo(), {
        hasNextPage: start + size < source.entries.length,
        hasPreviousPage: start > 0,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      }),
      window: effectiveWindow,
      metric: effectiveMetric,
      computedAt: source.computedAt,
      period: periodOutput(source.period),
      previousPeriod: periodOutput(source.previousPeriod),
      isFallback: source.isFallback,
    });
  }
}

function periodOutput(period: Period | null): ViewPeriod | null {
  if (!period) return null;
  return Object.assign(new ViewPeriod(), {
    from: new Date(period.start),
    to: new Date(period.end),
  });
}
