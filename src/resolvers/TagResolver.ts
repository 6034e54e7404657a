import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { cacheKeys } from '../content/changes/cacheKeys';
import { checkLocale, localizedName } from '../content/localeFallback';
import { countRows, listByName } from '../content/nameListing';
import type { Context } from '../context';
import { tagColumns, tagFromRow } from '../db/reads/tagRows';
import { ArticleOrder } from '../entities/enums';
import { Tag } from '../entities/Tag';
import { connectionOf } from '../relay/connectionType';
import { checkPageSize } from '../relay/pageSize';
import { ArticlesOfArgs } from './types/ArticlesOfArgs';
import { ArticleConnection, TagConnection } from './types/connections';
import { PageArgs } from './types/PageArgs';

@Resolver(_of => Tag)
export class TagResolver {
  @Query(_returns => Tag, { nullable: true })
  tag(
    @Arg('slug', _type => String) slug: string,
    @Ctx() { loaders }: Context,
  ): Promise<Tag | null> {
    return loaders.tagBySlug.load(slug);
  }

  @Query(_returns => TagConnection, { description: 'Every tag, by name.' })
  async tags(
    @Args() { first, after }: PageArgs,
    @Ctx() { sql: db, keys }: Context,
  ): Promise<TagConnection> {
    const page = await listByName(
      db,
      { from: 'tag t', alias: 't', columns: tagColumns, map: tagFromRow },
      checkPageSize(first),
      after,
    );
    keys.add(cacheKeys.tagLists);
    for (const edge of page.edges) keys.tag(edge.node);
    return connectionOf(TagConnection, page.edges, page, () => countRows(db, 'tag'));
  }

  @FieldResolver(_returns => String, {
    description:
      "The name in locale where one is given for it (a name for 'de' also serves 'de-AT'), else the default name.",
  })
  name(
    @Root() tag: Tag,
    @Arg('locale', _type => String, { nullable: true }) locale: string | null,
  ): string {
    return localizedName(tag.name, tag.namesJson, locale == null ? null : checkLocale(locale));
  }

  @FieldResolver(_returns => String, { nullable: true })
  async description(@Root() tag: Tag, @Ctx() { loaders }: Context): Promise<string | null> {
    if (tag.detailsLoaded) return tag.description;
    return (await loaders.tagById.load(tag.internalId))?.description ?? null;
  }

  @FieldResolver(_returns => Int, {
    complexity: 1,
    description: 'How many published articles carry the tag.',
  })
  articleCount(@Root() tag: Tag, @Ctx() { loaders }: Context): Promise<number> {
    return loaders.articleCountByTagId.load(tag.internalId);
  }

  @FieldResolver(_returns => ArticleConnection)
  async articles(
    @Root() tag: Tag,
    @Args() { first, after, orderBy }: ArticlesOfArgs,
    @Ctx() { loaders }: Context,
  ): Promise<ArticleConnection> {
    const page = await loaders.articlesByTagId.load({
      parentId: tag.internalId,
      first: checkPageSize(first),
      after: after ?? null,
      orderBy: orderBy ?? ArticleOrder.PUBLISHED_AT_DESC,
    });
    return connectionOf(ArticleConnection, page.edges, page, () =>
      loaders.articleCountByTagId.load(tag.internalId),
    );
  }
}
