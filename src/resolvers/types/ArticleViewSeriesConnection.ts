import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Article } from '../../entities/Article';
import { countedConnectionType } from '../../relay/connectionType';
import { ViewBreakdown } from '../../views/viewStatsDetails';

registerEnumType(ViewBreakdown, {
  name: 'ViewBreakdown',
  description: 'What viewStats splits views by (README "Analytics jobs").',
  valuesConfig: {
    SOURCE: { description: 'The source class (TrafficSource: SEARCH, SOCIAL, ...).' },
    HOST: {
      description:
        "The referrer's host (without www.); null for none; (other) past the day's bound.",
    },
    CAMPAIGN: { description: "utm_campaign; null for none; (other) past the day's bound." },
  },
});

@ObjectType({ simpleResolvers: true })
export class ViewBreakdownCount {
  @Field(_type => String, {
    nullable: true,
    description: 'The source class, host or campaign; null where the views had none.',
  })
  key!: string | null;

  @Field(_type => Int)
  views!: number;

  @Field(_type => Int)
  uniqueVisitors!: number;
}

@ObjectType({ simpleResolvers: true })
export class ViewPoint {
  @Field(_type => Date, { description: 'Start of the bucket (UTC).' })
  start!: Date;

  @Field(_type => Int)
  views!: number;

  @Field(_type => Int, {
    description: 'Visitors whose first view of the article that UTC day fell in this bucket.',
  })
  uniqueVisitors!: number;

  @Field(_type => Int, {
    description:
      'Views in this bucket that were reads (READ_MIN_SECONDS visible or READ_MIN_SCROLL per cent scrolled).',
  })
  reads!: number;

  @Field(_type => Int, { description: 'Views in this bucket that sent an engagement report.' })
  engagementReports!: number;

  @Field(_type => Float, {
    nullable: true,
    description: 'Average seconds visible of the views that reported; null where none did.',
  })
  averageEngagedSeconds!: number | null;

  @Field(_type => [ViewBreakdownCount], {
    description: 'The views split by viewStats(breakdown:), most first; empty without it.',
  })
  breakdown!: ViewBreakdownCount[];
}

@ObjectType({ simpleResolvers: true })
export class ArticleViewSeries {
  @Field(_type => Article)
  article!: Article;

  @Field(_type => Int, { description: 'The sum of the views of points.' })
  total!: number;

  @Field(_type => [ViewPoint], { description: 'Every bucket of the range, empty ones as 0.' })
  points!: ViewPoint[];

  @Field(_type => Int, { description: 'The sum of the reads of points.' })
  reads!: number;

  @Field(_type => Float, {
    nullable: true,
    description:
      'Average seconds visible of the views that reported in the range; null where none did.',
  })
  averageEngagedSeconds!: number | null;

  @Field(_type => [ViewBreakdownCount], {
    description: 'The breakdown summed over the range, most views first; empty without breakdown.',
  })
  breakdown!: ViewBreakdownCount[];
}

export const ArticleViewSeriesConnection = countedConnectionType(
  'ArticleViewSeries',
  ArticleViewSeries,
);
export type ArticleViewSeriesConnection = InstanceType<typeof ArticleViewSeriesConnection>;
