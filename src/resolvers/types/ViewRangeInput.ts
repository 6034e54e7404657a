import { Field, InputType, ObjectType } from 'type-graphql';

@InputType({
  description:
    'A custom period: the hourly buckets that start in [from, to), from and to widened to whole hours (whole days where only daily counts are kept, after HOURLY_RETENTION_DAYS). At most 366 days, to no later than the end of the current hour.',
})
export class ViewRangeInput {
  @Field(_type => Date)
  from!: Date;

  @Field(_type => Date)
  to!: Date;
}

@ObjectType({
  simpleResolvers: true,
  description: 'The buckets a ranking summed: those that start in [from, to).',
})
export class ViewPeriod {
  @Field(_type => Date)
  from!: Date;

  @Field(_type => Date)
  to!: Date;
}
