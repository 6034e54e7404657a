import { Field, Float, Int, ObjectType } from 'type-graphql';
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

  @Field(_type => Boolean, {
    description:
      'True where the window held no views and the newest articles were returned instead.',
  })
  isFallback!: boolean;
}
