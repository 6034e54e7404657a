import { Field, Float, Int, ObjectType } from 'type-graphql';
import { ViewPeriod } from './ViewRangeInput';
import { Article } from '../../entities/Article';
import { RankingMetric, ViewWindow } from '../../entities/enums';
import { PageInfo } from '../../relay/PageInfo';

@ObjectType({ simpleResolvers: true })
export class RankedArticleEdge {
  @Field(_type => String)
  cursor!: string;

  @Field(_type => Int, { description: '1-based position in the ranking.' })
  rank!: number;

  @Field(_type => Float, {
    description:
      'What the ranking sorts by: views, unique visitors, or for TRENDING the sum of views weighted by exp(-age * ln 2 / half-life).',
  })
  score!: number;

  @Field(_type => Int)
  views!: number;

  @Field(_type => Int)
  uniqueVisitors!: number;

  @Field(_type => Int, {
    nullable: true,
    description:
      'Rank by the same metric in the previous period of the same length (previousPeriod); null where the article had no views then, and for ALL_TIME.',
  })
  previousRank!: number | null;

  @Field(_type => Int, {
    nullable: true,
    description:
      "views minus the article's views in the previous period (previousPeriod); null for ALL_TIME.",
  })
  viewsChange!: number | null;

  @Field(_type => Article)
  node!: Article;
}

@ObjectType({ simpleResolvers: true })
export class RankedArticleConnection {
  @Field(_type => [RankedArticleEdge])
  edges!: RankedArticleEdge[];

  @Field(_type => PageInfo)
  pageInfo!: PageInfo;

  @Field(_type => ViewWindow)
  window!: ViewWindow;

  @Field(_type => RankingMetric)
  metric!: RankingMetric;

  @Field(_type => Date, { description: 'When the counts behind this ranking were read.' })
  computedAt!: Date;

  @Field(_type => ViewPeriod, {
    nullable: true,
    description: 'The buckets the ranking summed; null for ALL_TIME (the running totals).',
  })
  period!: ViewPeriod | null;

  @Field(_type => ViewPeriod, {
    nullable: true,
    description:
      'The period previousRank and viewsChange compare with: the same length just before (the day, week or month before for calendar windows, as far into it as this one has run); null for ALL_TIME.',
  })
  previousPeriod!: ViewPeriod | null;

  @Field(_type => Boolean, {
    description:
      'True where the window held no views and the newest articles were returned instead.',
  })
  isFallback!: boolean;
}
