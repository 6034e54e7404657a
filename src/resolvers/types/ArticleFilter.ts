import { Field, InputType } from 'type-graphql';

@InputType()
export class ArticleFilter {
  @Field(_type => [String], {
    nullable: true,
    description: 'Articles that carry any of these tags.',
  })
  tagSlugs?: string[] | null;

  @Field(_type => String, { nullable: true })
  authorSlug?: string | null;

  @Field(_type => String, {
    nullable: true,
    description: "A language, e.g. 'de'; also matches 'de-AT'.",
  })
  locale?: string | null;

  @Field(_type => Boolean, { nullable: true })
  featured?: boolean | null;

  @Field(_type => Date, { nullable: true })
  publishedAfter?: Date | null;

  @Field(_type => Date, { nullable: true })
  publishedBefore?: Date | null;

  @Field(_type => String, {
    nullable: true,
    description:
      'Full-text search over title, excerpt and body; every word must match, as a prefix. Umlauts match their plain and ae/oe/ue spellings, ß matches ss.',
  })
  search?: string | null;
}
