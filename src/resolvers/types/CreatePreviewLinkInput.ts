import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class CreatePreviewLinkInput {
  @Field(_type => ID, { description: 'The article the link opens, in any status.' })
  articleId!: string;

  @Field(_type => Int, {
    nullable: true,
    defaultValue: 7200,
    description: 'Seconds the link is valid: at least 60, at most 2,592,000 (30 days).',
  })
  ttlSeconds?: number | null;
}
