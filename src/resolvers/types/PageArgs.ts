import { ArgsType, Field, Int } from 'type-graphql';

/** first/after of a plain forward connection. */
@ArgsType()
export class PageArgs {
  @Field(_type => Int, { nullable: true, defaultValue: 20 })
  first!: number | null;

  @Field(_type => String, { nullable: true })
  after?: string | null;
}
