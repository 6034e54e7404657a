import { Field, InputType } from 'type-graphql';
import { TrafficSource } from './TrafficSourceEnum';

@InputType()
export class MostReadFilter {
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

  @Field(_type => [String], {
    nullable: true,
    description: 'Leave these out, e.g. the article the sidebar sits beside.',
  })
  excludeSlugs?: string[] | null;

  @Field(_type => Date, { nullable: true })
  publishedAfter?: Date | null;

  @Field(_type => TrafficSource, {
    nullable: true,
    description:
      'Only views from this source: e.g. the articles most read from search or from the newsletter (not with metric READS).',
  })
  source?: TrafficSource | null;
}
