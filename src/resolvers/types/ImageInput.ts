import { Field, InputType, Int } from 'type-graphql';

@InputType({ description: "An article's main image, set as a whole." })
export class ImageInput {
  @Field(_type => String, {
    description: 'An absolute URL, or a path below /media/ served by the gateway.',
  })
  url!: string;

  @Field(_type => String, { nullable: true, description: 'Alternative text for screen readers.' })
  alt?: string | null;

  @Field(_type => String, { nullable: true })
  caption?: string | null;

  @Field(_type => Int, { nullable: true, description: 'Width in pixels, 1 to 20000.' })
  width?: number | null;

  @Field(_type => Int, { nullable: true, description: 'Height in pixels, 1 to 20000.' })
  height?: number | null;
}
