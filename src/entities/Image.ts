import { Field, Int, ObjectType } from 'type-graphql';

/** An image as stored with an article or an author; not an entity of its own. */
@ObjectType({ simpleResolvers: true })
export class Image {
  @Field(_type => String, { description: 'Absolute URL of the image.' })
  url!: string;

  @Field(_type => String, { nullable: true })
  alt!: string | null;

  @Field(_type => String, { nullable: true })
  caption!: string | null;

  @Field(_type => Int, { nullable: true })
  width!: number | null;

  @Field(_type => Int, { nullable: true })
  height!: number | null;
}
