import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class RecordViewInput {
  @Field(_type => String, {
    nullable: true,
    description: 'The article, by slug or by id; exactly one of the two.',
  })
  slug?: string | null;

  @Field(_type => ID, { nullable: true })
  articleId?: string | null;

  @Field(_type => String, {
    nullable: true,
    description:
      "An opaque, client-chosen id of the reader's device or session; never an IP or e-mail.",
  })
  visitorId?: string | null;

  @Field(_type => String, {
    nullable: true,
    description: 'Accepted for compatibility; not stored.',
  })
  referrer?: string | null;
}
