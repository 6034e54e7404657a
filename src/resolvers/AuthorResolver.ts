import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { cacheKeys } from '../content/changes/cacheKeys';
import { absoluteUrl } from '../content/imageUrl';
import { checkLocale, localizedName } from '../content/localeFallback';
import { countRows, listByName } from '../content/nameListing';
import type { Context } from '../context';
import { authorColumns, authorFromRow } from '../db/reads/authorRows';
import { Author } from '../entities/Author';
import { ArticleOrder } from '../entities/enums';
import { Image } from '../entities/Image';
import { connectionOf } from '../relay/connectionType';
import { checkPageSize } from '../relay/pageSize';
import { ArticlesOfArgs } from './types/ArticlesOfArgs';
import { ArticleConnection, AuthorConnection } from './types/connections';
import { PageArgs } from './types/PageArgs';

@Resolver(_of => Author)
export class AuthorResolver {
  @Query(_returns => Author, { nullable: true })
  author(
    @Arg('slug', _type => String) slug: string,
    @Ctx() { loaders }: Context,
  ): Promise<Author | null> {
    return loaders.authorBySlug.load(slug);
  }

  @Query(_returns => AuthorConnection, { description: 'Every author, by name.' })
  async authors(
    @Args() { first, after }: PageArgs,
    @Ctx() { sql: db, keys }: Context,
  ): Promise<AuthorConnection> {
    const page = await listByName(
      db,
      { from: 'author au', alias: 'au', columns: authorColumns, map: authorFromRow },
      checkPageSize(first),
      after,
    );
    keys.add(cacheKeys.authorLists);
    for (const edge of page.edges) keys.author(edge.node);
    return connectionOf(AuthorConnection, page.edges, page, () => countRows(db, 'author'));
  }

  @FieldResolver(_returns => String, {
    description:
      "The name in locale where one is given for it (a name for 'de' also serves 'de-AT'), else the default name.",
  })
  name(
    @Root() author: Author,
    @Arg('locale', _type => String, { nullable: true }) locale: string | null,
  ): string {
    return localizedName(
      author.name,
      author.namesJson,
      locale == null ? null : checkLocale(locale),
    );
  }

  @FieldResolver(_returns => String, { nullable: true })
  async bio(@Root() author: Author, @Ctx() { loaders }: Context): Promise<string | null> {
    if (author.detailsLoaded) return author.bio;
    return (await loaders.authorById.load(author.internalId))?.bio ?? null;
  }

  @FieldResolver(_returns => Image, { nullable: true })
  avatar(@Root() author: Author, @Ctx() { baseUrl }: Context): Image | null {
    if (!author.avatarUrl) return null;
    return {
      url: absoluteUrl(author.avatarUrl, baseUrl),
      alt: author.name,
      caption: null,
      width: null,
      height: null,
    };
  }

  @FieldResolver(_returns => Int, {
    complexity: 1,
    description: 'How many published articles the author wrote or co-wrote.',
  })
  articleCount(@Root() author: Author, @Ctx() { loaders }: Context): Promise<number> {
    return loaders.articleCountByAuthorId.load(author.internalId);
  }

  @FieldResolver(_returns => ArticleConnection)
  async articles(
    @Root() author: Author,
    @Args() { first, after, orderBy }: ArticlesOfArgs,
    @Ctx() { loaders }: Context,
  ): Promise<ArticleConnection> {
    const page = await loaders.articlesByAuthorId.load({
      parentId: author.internalId,
      first: checkPageSize(first),
      after: after ?? null,
      orderBy: orderBy ?? ArticleOrder.PUBLISHED_AT_DESC,
    });
    return connectionOf(ArticleConnection, page.edges, page, () =>
      loaders.articleCountByAuthorId.load(author.internalId),
    );
  }
}
