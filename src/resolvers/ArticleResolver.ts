import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { ArticleListing } from '../content/articleListing';
import { pendingChangeOf } from '../content/editorial/pendingChanges';
import { absoluteUrl } from '../content/imageUrl';
import {
  bestLocaleMatch,
  checkLocale,
  localeMatchRank,
  maxFallbackLocales,
} from '../content/localeFallback';
import { previewArticle } from '../content/preview/articlePreview';
import { readingTime } from '../content/readingTime';
import type { Context } from '../context';
import type { ArticleDetails } from '../db/reads/articleRows';
import { Article } from '../entities/Article';
import { Author } from '../entities/Author';
import { ArticleOrder, ArticleStatus, BodyFormat, ViewWindow } from '../entities/enums';
import { requestedWindow } from '../views/rankingPeriods';
import { ViewRangeInput } from './types/ViewRangeInput';
import { Heading } from '../entities/Heading';
import { Image } from '../entities/Image';
import { ReadingTime } from '../entities/ReadingTime';
import { Tag } from '../entities/Tag';
import { BadUserInputError } from '../errors/BadUserInputError';
import type { Loaders } from '../loaders/createLoaders';
import { connectionOf } from '../relay/connectionType';
import { decodeGlobalId } from '../relay/globalId';
import { ArticleFilter } from './types/ArticleFilter';
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

/**
 * The locales article(locale:, fallbackLocales:) tries, in order; null without a locale. Each must
 * be a BCP 47 tag, else BAD_USER_INPUT naming the argument.
 */
function wantedLocales(
  locale: string | null,
  fallbackLocales: string[] | null,
  defaults: readonly string[],
): string[] | null {
  if (locale == null) {
    if (fallbackLocales != null) {
      throw new BadUserInputError('fallbackLocales needs locale, got no locale.');
    }
    return null;
  }
  checkLocale(locale);
  if (fallbackLocales && fallbackLocales.length > maxFallbackLocales) {
    throw new BadUserInputError(
      `fallbackLocales must list at most ${maxFallbackLocales} locales, got ${fallbackLocales.length}.`,
    );
  }
  for (const fallback of fallbackLocales ?? []) checkLocale(fallback, 'fallbackLocales');
  return [locale, ...(fallbackLocales ?? defaults)];
}

/**
 * Preview: the authors or tags a pending change sets (pendingChangeOf), in their order; undefined
 * for an article without one, whose links are loaded by its id.
 */
async function pendingLinks<T>(
  article: Article,
  kind: 'authorIds' | 'tagIds',
  loader: { loadMany(ids: number[]): Promise<(T | Error | null)[]> },
): Promise<T[] | undefined> {
  const pending = pendingChangeOf(article);
  if (!pending) return undefined;
  const found = await loader.loadMany(pending.snapshot[kind]);
  return found.filter((item): item is T => item !== null && !(item instanceof Error));
}

/** The article's authors in order: a pending change's where it shows one. */
async function authorsOf(article: Article, loaders: Loaders): Promise<Author[]> {
  return (
    (await pendingLinks<Author>(article, 'authorIds', loaders.authorById)) ??
    loaders.authorsByArticleId.load(article.internalId)
  );
}

/** The article's tags in order: a pending change's where it shows one. */
async function tagsOf(article: Article, loaders: Loaders): Promise<Tag[]> {
  return (
    (await pendingLinks<Tag>(article, 'tagIds', loaders.tagById)) ??
    loaders.tagsByArticleId.load(article.internalId)
  );
}

const pendingBodies: Record<BodyFormat, 'bodyHtml' | 'bodyMarkdown' | 'bodyText'> = {
  [BodyFormat.HTML]: 'bodyHtml',
  [BodyFormat.MARKDOWN]: 'bodyMarkdown',
  [BodyFormat.TEXT]: 'bodyText',
};

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
    @Arg('locale', _type => String, {
      nullable: true,
      description:
        "The language wanted, e.g. 'de': the article if it is in it, else its translation in it, else in each of fallbackLocales in order; null if none of them exists. Without it, the article itself. Not with preview or previewToken (BAD_USER_INPUT).",
    })
    locale: string | null,
    @Arg('fallbackLocales', _type => [String], {
      nullable: true,
      description:
        "Tried in order after locale; the server's LOCALE_FALLBACK setting where omitted, [] for none.",
    })
    fallbackLocales: string[] | null,
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
    const wanted = wantedLocales(locale, fallbackLocales, config.localeFallback);
    const decoded = id == null ? null : decodeGlobalId(id);
    const internalId = decoded?.type === 'Article' ? decoded.internalId : null;
    if (preview || previewToken != null) {
      if (wanted) {
        throw new BadUserInputError('locale cannot be combined with preview or previewToken.');
      }
      return previewArticle(
        { sql, viewer, now, secret: config },
        { slug: slug ?? null, internalId, previewToken: previewToken ?? null },
      );
    }
    const found = await (slug != null
      ? loaders.articleBySlug.load(slug)
      : internalId === null
        ? null
        : loaders.articleById.load(internalId));
    if (!found || !wanted) return found;
    // The article itself in the wanted locale needs no second statement.
    if (localeMatchRank(found.locale, wanted[0]) === 0) return found;
    const versions = found.translationKey
      ? await loaders.articlesByTranslationKey.load(found.translationKey)
      : [];
    const others = versions.filter(version => version.internalId !== found.internalId);
    return bestLocaleMatch([found, ...others], version => version.locale, wanted);
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
    // Preview: a pending change carries its bodies, derived on write.
    if (pendingChangeOf(article))
      return Promise.resolve(article[pendingBodies[format ?? BodyFormat.HTML]]);
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
    return authorsOf(article, loaders);
  }

  @FieldResolver(_returns => Author, { nullable: true })
  async primaryAuthor(
    @Root() article: Article,
    @Ctx() { loaders }: Context,
  ): Promise<Author | null> {
    return (await authorsOf(article, loaders))[0] ?? null;
  }

  @FieldResolver(_returns => [Tag])
  tags(@Root() article: Article, @Ctx() { loaders }: Context): Promise<Tag[]> {
    return tagsOf(article, loaders);
  }

  @FieldResolver(_returns => Tag, { nullable: true })
  async primaryTag(@Root() article: Article, @Ctx() { loaders }: Context): Promise<Tag | null> {
    return (await tagsOf(article, loaders))[0] ?? null;
  }

  @FieldResolver(_returns => Int, {
    complexity: 1,
    description:
      'Views counted in the window (or range); the same number mostRead(window, VIEWS) shows.',
  })
  viewCount(
    @Root() article: Article,
    @Arg('window', _type => ViewWindow, { nullable: true, defaultValue: ViewWindow.ALL_TIME })
    window: ViewWindow | null,
    @Arg('range', _type => ViewRangeInput, {
      nullable: true,
      description: 'A custom period instead of a window (window CUSTOM or left out).',
    })
    range: ViewRangeInput | null,
    @Ctx() { loaders, now }: Context,
  ): Promise<number> {
    const requested = requestedWindow(window, range, now, ViewWindow.ALL_TIME);
    return loaders.viewCountByArticleId.load({
      articleId: article.internalId,
      window: requested.window,
      custom: requested.custom,
    });
  }

  @FieldResolver(_returns => [Article], {
    description:
      "Other published articles that share the most tags with this one, most shared first: in the article's own language ('de' and 'de-AT' are one) unless anyLocale; never one of its translations.",
  })
  related(
    @Root() article: Article,
    @Arg('first', _type => Int, { nullable: true, defaultValue: 3 }) first: number | null,
    @Arg('anyLocale', _type => Boolean, {
      nullable: true,
      defaultValue: false,
      description: 'true: articles in every language.',
    })
    anyLocale: boolean | null,
    @Ctx() { loaders }: Context,
  ): Promise<Article[]> {
    return loaders.relatedByArticleId.load({
      articleId: article.internalId,
      first: checkPageSize(first),
      anyLocale: anyLocale ?? false,
    });
  }

  @FieldResolver(_returns => [Article], {
    description:
      'The published versions of this article in other languages (the same translationKey), by locale: for hreflang links. Empty without a translationKey.',
  })
  async translations(@Root() article: Article, @Ctx() { loaders }: Context): Promise<Article[]> {
    if (!article.translationKey) return [];
    const versions = await loaders.articlesByTranslationKey.load(article.translationKey);
    return versions.filter(version => version.internalId !== article.internalId);
  }
}
