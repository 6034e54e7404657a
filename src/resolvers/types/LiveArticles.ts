import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Article } from '../../entities/Article';

/** The window readers now are counted over: one, named so that the schema says what it counts. */
export enum LiveWindow {
  LAST_5_MINUTES = 'LAST_5_MINUTES',
}

registerEnumType(LiveWindow, {
  name: 'LiveWindow',
  description: 'The window of readers now; counts are at most 10 seconds old.',
  valuesConfig: {
    LAST_5_MINUTES: { description: 'Distinct visitors with a view in the last five minutes.' },
  },
});

@ObjectType({ simpleResolvers: true })
export class LiveArticleEdge {
  @Field(_type => Int, { description: '1-based position: most readers first.' })
  rank!: number;

  @Field(_type => Int, { description: 'Distinct visitors with a view of it in the window.' })
  readers!: number;

  @Field(_type => Article)
  node!: Article;
}

@ObjectType({ simpleResolvers: true })
export class LiveArticles {
  @Field(_type => LiveWindow)
  window!: LiveWindow;

  @Field(_type => Date, {
    description: 'When the readers were counted (every 10 seconds at most).',
  })
  computedAt!: Date;

  @Field(_type => [LiveArticleEdge], {
    description: 'Public articles with readers now; none without.',
  })
  edges!: LiveArticleEdge[];
}
