import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { ArticleListing } from '../content/articleListing';
import { absoluteUrl } from '../content/imageUrl';
import { previewArticle } from '../content/preview/articlePreview';
import { readingTime } from '../content/readingTime';
import type { Context } from '../context';
import type { ArticleDetails } from '../db/reads/articleRows';
import { Article } from '../entities/Article';
import { Author } from '../entities/Author';
import { ArticleOrder, ArticleStatus, BodyFormat, ViewWindow } from '../entities/enums';
import { Heading } from '../entities/Heading';
import { Image } from '../entities/Image';
import { ReadingTime } from '../entities/ReadingTime';
import { Tag } from '../entities/Tag';
import { BadUserInputError } from '../errors/BadUserInputError';
import type { Loaders } from '../loaders/createLoaders';
import { decodeGlobalId } from '../relay/globalId';
import { ArticleFilter } from './types/ArticleFilter';
import { connectionOf } from '../relay/connectionType';
import { checkPageSize } from '../relay/pageSize';
import { ArticleConnection } from './types/connections';

/**
 * An article's detail fields: its own where it was looked up, else read for all the list's
 * articles that ask in one statement (articleDetailsById).
 */
async function details(article: Article, loaders: Loaders): Promise<ArticleDetails> {
  if (article.detailsLoaded) return article;
  const found = await loaders.articleDetailsById.load(article.internalId);
  if (!found) throw new Error(`article ${article.internalId} has no row`);
  return found;
}

@Resolver(_of => Article)
export class ArticleResolver {
  @Query(_returns => Article, {
    nullable: true,
    description:
      'One published article by slug or by id; drafts, scheduled and archived ones only with preview: true and a content:preview token, or with a preview link\'s previewToken (README "Preview").',
  })
  async article(
    @Arg('slug', _type => String, { nullable: true }) slug: string | null,
    @Arg('id', _type => ID, { nullable: true }) id: string | null,
    // Preview (README "Preview"): both arguments are read by cachePolicyPlugin too.
    @Arg('preview', _type => Boolean, {
      nullable: true,
      defaultValue: false,
      description:
        'Also answer drafts, scheduled and archived articles: needs a token with content:preview (or content:write); UNAUTHENTICATED without a token, FORBIDDEN without the scope. Answers are private, no-store.',
    })
    preview: boolean | null,
    @Arg('previewToken', _type => String, {
      nullable: true,
      description:
        "A preview link's token (createPreviewLink, npm run token -- preview): opens this one article in any status without an account; FORBIDDEN when expired, forged or for another article.",
    })
    previewToken: string | null,
    @Ctx() { loaders, sql, viewer, now, config }: Context,
  ): Promise<Article | null> {
    if ((slug == null) === (id == null)) {
      throw new BadUserInputError(
        'article needs exactly one of slug or id, got ' + (slug == null ? 'neither.' : 'both.'),
      );
    }
    const decoded = id == null ? null : decodeGlobalId(id);
    const internalId = decoded?.type === 'Article' ? decoded.internalId : null;
    if (preview || previewToken != null) {
      return previewArticle(
        { sql, viewer, now, secret: config },
        { slug: slug ?? null, internalId, previewToken: previewToken ?? null },
      );
    }
    if (slug != null) return loaders.articleBySlug.load(slug);
    return internalId === null ? null : loaders.articleById.load(internalId);
  }

  @Query(_returns => ArticleConnection)
  async articles(
    @Arg('first', _type => Int, { nullable: true, defaultValue: 20 }) first: number | null,
    @Arg('after', _type => String, { nullable: true }) after: string | null,
    @Arg('filter', _type => ArticleFilter, { nullable: true }) filter: ArticleFilter | null,
    @Arg('orderBy', _type => ArticleOrder, {
      nullable: true,
      description: 'RELEVANCE when filter.search is set, else PUBLISHED_AT_DESC.',
    })
    orderBy: ArticleOrder | null,
    @Ctx() { sql: db, now, keys }: Context,
  ): Promise<ArticleConnection> {
    const listing = new ArticleListing(db, now);
    const page = await listing.page({ first: checkPageSize(first), after, filter, orderBy });
    keys.articleList();
    for (const edge of page.edges) keys.article(edge.node);
    return connectionOf(ArticleConnection, page.edges, page, () => listing.count(filter));
  }

  @FieldResolver(_returns => String, {
    description:
      'The custom excerpt, else the first paragraph cut at a word boundary (about 160 characters).',
  })
  excerpt(@Root() article: Article): string {
    return article.customExcerpt ?? article.autoExcerpt;
  }

  @FieldResolver(_returns => String, { complexity: 1 })
  body(
    @Root() article: Article,
    @Arg('format', _type => BodyFormat, { nullable: true, defaultValue: BodyFormat.HTML })
    format: BodyFormat | null,
    @Ctx() { loaders }: Context,
  ): Promise<string> {
    return loaders.articleBodyById.load({
      articleId: article.internalId,
      format: format ?? BodyFormat.HTML,
    });
  }

  @FieldResolver(_returns => ArticleStatus)
  async status(@Root() article: Article, @Ctx() { loaders }: Context): Promise<ArticleStatus> {
    return (await details(article, loaders)).status;
  }

  @FieldResolver(_returns => Boolean)
  async featured(@Root() article: Article, @Ctx() { loaders }: Context): Promise<boolean> {
    return (await details(article, loaders)).featured;
  }

  @FieldResolver(_returns => [Heading])
  async headings(@Root() article: Article, @Ctx() { loaders }: Context): Promise<Heading[]> {
    return JSON.parse((await details(article, loaders)).headingsJson) as Heading[];
  }

  @FieldResolver(_returns => String, {
    nullable: true,
    description: 'Title for search engines, if it differs.',
  })
  async seoTitle(@Root() article: Article, @Ctx() { loaders }: Context): Promise<string | null> {
    return (await details(article, loaders)).seoTitle;
  }

  @FieldResolver(_returns => String, {
    nullable: true,
    description: 'Meta description for search engines.',
  })
  async seoDescription(
    @Root() article: Article,
    @Ctx() { loaders }: Context,
  ): Promise<string | null> {
    return (await details(article, loaders)).seoDescription;
  }

  @FieldResolver(_returns => String, {
    nullable: true,
    description: 'Canonical URL where the article first appeared.',
  })
  async canonicalUrl(
    @Root() article: Article,
    @Ctx() { loaders }: Context,
  ): Promise<string | null> {
    return (await details(article, loaders)).canonicalUrl;
  }

  @FieldResolver(_returns => ReadingTime)
  readingTime(@Root() article: Article, @Ctx() { config }: Context): ReadingTime {
    return readingTime(article.wordCount, article.imageCount, article.locale, {
      wordsPerMinute: config.readingWordsPerMinute,
      secondsPerImage: config.readingSecondsPerImage,
    });
  }

  @FieldResolver(_returns => Image, { nullable: true })
  mainImage(@Root() article: Article, @Ctx() { baseUrl }: Context): Image | null {
    if (!article.imageUrl) return null;
    return {
      url: absoluteUrl(article.imageUrl, baseUrl),
      alt: article.imageAlt,
      caption: article.imageCaption,
      width: article.imageWidth,
      height: article.imageHeight,
    };
  }

  @FieldResolver(_returns => [Author])
  authors(@Root() article: Article, @Ctx() { loaders }: Context): Promise<Author[]> {
    return loaders.authorsByArticleId.load(article.internalId);
  }

  @FieldResolver(_returns => Author, { nullable: true })
  async primaryAuthor(
    @Root() article: Article,
    @Ctx() { loaders }: Context,
  ): Promise<Author | null> {
    return (await loaders.authorsByArticleId.load(article.internalId))[0] ?? null;
  }

  @FieldResolver(_returns => [Tag])
  tags(@Root() article: Article, @Ctx() { loaders }: Context): Promise<Tag[]> {
    return loaders.tagsByArticleId.load(article.internalId);
  }

  @FieldResolver(_returns => Tag, { nullable: true })
  async primaryTag(@Root() article: Article, @Ctx() { loaders }: Context): Promise<Tag | null> {
    return (await loaders.tagsByArticleId.load(article.internalId))[0] ?? null;
  }

  @FieldResolver(_returns => Int, {
    complexity: 1,
    description: 'Views counted in the window; the same number mostRead(window, VIEWS) shows.',
  })
  viewCount(
    @Root() article: Article,
    @Arg('window', _type => ViewWindow, { nullable: true, defaultValue: ViewWindow.ALL_TIME })
    window: ViewWindow | null,
    @Ctx() { loaders }: Context,
  ): Promise<number> {
    return loaders.viewCountByArticleId.load({
      articleId: article.internalId,
      window: window ?? ViewWindow.ALL_TIME,
    });
  }

  @FieldResolver(_returns => [Article], {
    description:
      'Other published articles that share the most tags with this one, most shared first.',
  })
  related(
    @Root() article: Article,
    @Arg('first', _type => Int, { nullable: true, defaultValue: 3 }) first: number | null,
    @Ctx() { loaders }: Context,
  ): Promise<Article[]> {
    return loaders.relatedByArticleId.load({
      articleId: article.internalId,
      first: checkPageSize(first),
    });
  }
}
