import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Article } from '../../entities/Article';

/** How an old address found its article (src/db/reads/oldPathRows.ts: redirectMatches). */
export enum RedirectMatch {
  POST_ID = 'POST_ID',
  OLD_PATH = 'OLD_PATH',
  EARLIER_SLUG = 'EARLIER_SLUG',
  CURRENT_SLUG = 'CURRENT_SLUG',
}

registerEnumType(RedirectMatch, {
  name: 'RedirectMatch',
  description: 'How redirect found the article of an old address.',
  valuesConfig: {
    POST_ID: { description: 'A WordPress post id (wordpressPostId, or a path /?p=123).' },
    OLD_PATH: {
      description: 'A path the article had on the old site (its WordPress permalink or Ghost URL).',
    },
    EARLIER_SLUG: { description: 'An earlier slug of the article, renamed since.' },
    CURRENT_SLUG: {
      description:
        "The article's current slug: location is where the path already leads, no redirect is needed.",
    },
  },
});

@ObjectType({
  simpleResolvers: true,
  description:
    'Where an old address of an article leads now, for a front end to answer 301 Moved Permanently (README "Old URLs and redirects").',
})
export class Redirect {
  @Field(_type => Article)
  article!: Article;

  @Field(_type => String, {
    description:
      "The article's page per ARTICLE_URL_PATTERN: a path (/artikel/new-slug), or an absolute URL where the pattern is one. Send it as the Location header.",
  })
  location!: string;

  @Field(_type => String, { description: 'The same page as an absolute URL (on PUBLIC_URL).' })
  url!: string;

  @Field(_type => Int, { description: 'The HTTP status to answer with: 301.' })
  statusCode!: number;

  @Field(_type => Boolean, { description: 'Always true: an old address moved for good.' })
  permanent!: boolean;

  @Field(_type => RedirectMatch)
  matchedBy!: RedirectMatch;
}
