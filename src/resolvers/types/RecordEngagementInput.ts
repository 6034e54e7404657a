import { Field, InputType, Int } from 'type-graphql';

@InputType()
export class RecordEngagementInput {
  @Field(_type => String, {
    description: 'The viewId the view was recorded with (recordView, POST /views).',
  })
  viewId!: string;

  @Field(_type => Int, {
    description: 'Seconds the page was visible in all; more than 1800 (30 minutes) counts as 1800.',
  })
  visibleSeconds!: number;

  @Field(_type => Int, {
    nullable: true,
    description:
      'The deepest scroll position reached, in per cent of the article (0 to 100; more counts as 100).',
  })
  scrollPercent?: number | null;
}
