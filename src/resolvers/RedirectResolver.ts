import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { siteUrls } from '../content/feeds/articleUrls';
import { articleLocation, oldAddress } from '../content/redirects/oldUrls';
import type { Context } from '../context';
import { BadUserInputError } from '../errors/BadUserInputError';
import { Redirect, RedirectMatch } from './types/Redirect';

// Longer is no path the import keeps (article_old_path.path is varchar(2000)).
const maxPathLength = 2000;

@Resolver(_of => Redirect)
export class RedirectResolver {
  @Query(_returns => Redirect, {
    nullable: true,
    description:
      'Where an old address leads now (README "Old URLs and redirects"): a path or full URL of the old site (its WordPress permalink, /?p=123, a Ghost URL), a path with an earlier slug, or a WordPress post id; null where it leads to no published article (a draft is never revealed). Exactly one of path and wordpressPostId, else BAD_USER_INPUT.',
  })
  async redirect(
    @Arg('path', _type => String, {
      nullable: true,
      description:
        'A path (/2019/05/hello-world/) or a full URL; host, trailing slash, case and query (but ?p=, ?page_id=) do not matter.',
    })
    path: string | null,
    @Arg('wordpressPostId', _type => ID, {
      nullable: true,
      description: "A post's id on the WordPress site it was imported from.",
    })
    wordpressPostId: string | null,
    @Ctx() { loaders, config, baseUrl }: Context,
  ): Promise<Redirect | null> {
    if ((path == null) === (wordpressPostId == null)) {
      throw new BadUserInputError(
        'redirect needs exactly one of path or wordpressPostId, got ' +
          (path == null ? 'neither.' : 'both.'),
      );
    }
    if (path != null && path.length > maxPathLength) {
      throw new BadUserInputError(
        `path must be at most ${maxPathLength} characters, got ${path.length}.`,
      );
    }
    const pattern = config.feeds.articleUrlPattern;
    const address = oldAddress(pattern, {
      path: path ?? null,
      wordpressPostId: wordpressPostId ?? null,
    });
    if (address === null) {
      throw new BadUserInputError(
        path != null
          ? `path must be a path or an http(s) URL, got ${JSON.stringify(path.slice(0, 80))}.`
          : `wordpressPostId must be a post id (digits), got ${JSON.stringify(String(wordpressPostId).slice(0, 40))}.`,
      );
    }
    const target = await loaders.redirectByAddress.load(address);
    if (!target) return null;
    const { article } = target;
    return Object.assign(new Redirect(), {
      article,
      location: articleLocation(pattern, article),
      url: siteUrls(baseUrl, pattern).article(article),
      statusCode: 301,
      permanent: true,
      matchedBy: RedirectMatch[target.via],
    });
  }
}
