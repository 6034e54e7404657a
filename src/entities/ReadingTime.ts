import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({
  simpleResolvers: true,
  description:
    'How long an article takes to read, computed from its words and images for its own language.',
})
export class ReadingTime {
  @Field(_type => Int)
  minutes!: number;

  @Field(_type => Int)
  words!: number;

  @Field(_type => String, {
    description:
      "Ready to print in the article's language, e.g. '3 Minuten Lesezeit' or '3 min read'.",
  })
  label!: string;
}
