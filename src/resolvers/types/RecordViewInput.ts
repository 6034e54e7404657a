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
    description:
      'document.referrer: its source class (search, social, ...) and host are counted; the URL itself, its path and query are not stored.',
  })
  referrer?: string | null;

  @Field(_type => String, {
    nullable: true,
    description:
      "The page's own URL (location.href): only its host (for INTERNAL referrers) and its utm_source, utm_medium and utm_campaign are read.",
  })
  pageUrl?: string | null;

  @Field(_type => String, {
    nullable: true,
    description:
      'A client-chosen id of this page view (8 to 64 letters, digits, - or _; a UUID fits), for its one engagement report (recordEngagement) on page leave.',
  })
  viewId?: string | null;
}
