import { Field, ObjectType } from 'type-graphql';

@ObjectType({
  simpleResolvers: true,
  description:
    'A signed link to read one article before it is public, without an account: pass the token as article(slug:, previewToken:).',
})
export class PreviewLinkPayload {
  @Field(_type => String, {
    description:
      'The preview token: anyone who has it can read this one article until it expires. It cannot be revoked; keep TTLs short.',
  })
  token!: string;

  @Field(_type => Date)
  expiresAt!: Date;

  /** The article the link opens (resolved by PreviewLinkResolver). */
  articleId!: number;
}
