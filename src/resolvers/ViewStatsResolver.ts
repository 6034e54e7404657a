import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { requireScope } from '../access/requireScope';
import type { Context } from '../context';
import { Granularity } from '../entities/enums';
import { checkPageSize } from '../relay/pageSize';
import { bucketRange, countSeries, viewSeriesPage } from '../views/viewStats';
import {
  averageSeconds,
  seriesDetails,
  totalBreakdown,
  ViewBreakdown,
} from '../views/viewStatsDetails';
import {
  ArticleViewSeries,
  ArticleViewSeriesConnection,
  ViewBreakdownCount,
  ViewPoint,
} from './types/ArticleViewSeriesConnection';
import { connectionOf } from '../relay/connectionType';

@Resolver(_of => ArticleViewSeries)
export class ViewStatsResolver {
  @Query(_returns => ArticleViewSeriesConnection, {
    description:
      'View time series per article, for analytics jobs (needs a token with the analytics:read scope). Buckets are hours and the days, weeks (from Monday) and months of the site time zone (SITE_TIME_ZONE, UTC by default), from and to are widened to whole buckets; without slugs, every article that has ever been viewed.',
  })
  async viewStats(
    @Arg('from', _type => Date) from: Date,
    @Arg('to', _type => Date) to: Date,
    @Arg('granularity', _type => Granularity, { nullable: true, defaultValue: Granularity.DAY })
    granularity: Granularity | null,
    @Arg('slugs', _type => [String], { nullable: true }) slugs: string[] | null,
    @Arg('first', _type => Int, { nullable: true, defaultValue: 100 }) first: number | null,
    @Arg('after', _type => String, { nullable: true }) after: string | null,
    @Arg('breakdown', _type => ViewBreakdown, {
      nullable: true,
      description: "Split each bucket's views by source class, referrer host or campaign.",
    })
    breakdown: ViewBreakdown | null,
    @Ctx() { sql: db, config, now, viewer }: Context,
  ): Promise<ArticleViewSeriesConnection> {
    requireScope(viewer, 'analytics:read');
    const size = checkPageSize(first);
    const request = { from, to, granularity: granularity ?? Granularity.DAY, slugs };
    const range = bucketRange(request, now, config.views);
    const page = await viewSeriesPage(db, request, range, size, after);
    const details = await seriesDetails(
      db,
      page.series.map(series => series.article.internalId),
      range,
      breakdown ?? null,
    );
    const counts = (items: { key: string | null; views: number; uniqueVisitors: number }[]) =>
      items.map(item => Object.assign(new ViewBreakdownCount(), item));
    const edges = page.series.map((series, index) => {
      const extra = details.get(series.article.internalId) ?? [];
      const sum = (pick: (point: (typeof extra)[number]) => number) =>
        extra.reduce((total, point) => total + pick(point), 0);
      const reports = sum(point => point.engagementReports);
      return {
        cursor: page.cursors[index],
        node: Object.assign(new ArticleViewSeries(), {
          article: series.article,
          total: series.total,
          points: series.points.map((point, position) => {
            const more = extra[position];
            return Object.assign(new ViewPoint(), point, {
              reads: more.reads,
              engagementReports: more.engagementReports,
              averageEngagedSeconds: averageSeconds(more.engagedSeconds, more.engagementReports),
              breakdown: counts(more.breakdown),
            });
          }),
          reads: sum(point => point.reads),
          averageEngagedSeconds: averageSeconds(
            sum(point => point.engagedSeconds),
            reports,
          ),
          breakdown: counts(totalBreakdown(extra)),
        }),
      };
    });
    return connectionOf(
      ArticleViewSeriesConnection,
      edges,
      { hasNextPage: page.hasNextPage, hasPreviousPage: Boolean(after) },
      () => countSeries(db, request),
    );
  }
}
