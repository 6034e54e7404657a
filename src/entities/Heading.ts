import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true })
export class Heading {
  @Field(_type => Int)
  level!: number;

  @Field(_type => String)
  text!: string;

  @Field(_type => String, {
    description: 'The id of the heading in the HTML body, for a table of contents.',
  })
  anchor!: string;
}
