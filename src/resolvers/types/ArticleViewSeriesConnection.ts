import { Field, Int, ObjectType } from 'type-graphql';
import { Article } from '../../entities/Article';
import { countedConnectionType } from '../../relay/connectionType';

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
}

@ObjectType({ simpleResolvers: true })
export class ArticleViewSeries {
  @Field(_type => Article)
  article!: Article;

  @Field(_type => Int, { description: 'The sum of the views of points.' })
  total!: number;

  @Field(_type => [ViewPoint], { description: 'Every bucket of the range, empty ones as 0.' })
  points!: ViewPoint[];
}

export const ArticleViewSeriesConnection = countedConnectionType(
  'ArticleViewSeries',
  ArticleViewSeries,
);
export type ArticleViewSeriesConnection = InstanceType<typeof ArticleViewSeriesConnection>;
