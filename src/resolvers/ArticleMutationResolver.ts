import { Arg, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import { requireScope } from '../access/requireScope';
import {
  createArticle,
  deleteArticle,
  discardPendingChanges,
  restoreArticleRevision,
  setArticleStatus,
  updateArticle,
  type WriteRequest,
} from '../content/editorial/articleWrites';
import { editorialWrite } from '../content/editorial/editorialWrite';
import { pendingChangeOf } from '../content/editorial/pendingChanges';
import type { Context } from '../context';
import { Article } from '../entities/Article';
import { ArticleRevision } from '../entities/ArticleRevision';
import { ArticleStatus } from '../entities/enums';
import { createLoaders } from '../loaders/createLoaders';
import { checkPageSize } from '../relay/pageSize';
import {
  ArticleRefInput,
  CreateArticleInput,
  PublishArticleInput,
  RestoreArticleRevisionInput,
  UpdateArticleInput,
} from './types/ArticleMutationInputs';
import { ArticlePayload, DeleteArticlePayload } from './types/ArticleMutationPayloads';

/**
 * Runs one write for the request (scope, rate limit, log: editorialWrite) and then gives the
 * request fresh loaders, so that nothing read before the write answers for the rest of it.
 */
export async function written<T>(
  context: Context,
  operation: string,
  write: (request: WriteRequest) => Promise<T>,
  target: (result: T) => { articleId: string } | { authorId: string } | { tagId: string },
): Promise<T> {
  const result = await editorialWrite(
    context.editorial,
    context,
    operation,
    actor => write({ services: context.editorial, actor, now: context.now }),
    target,
  );
  context.loaders = createLoaders(context.sql, context.now, context.views.rankings);
  return result;
}

function payload(article: Article): ArticlePayload {
  const revision = pendingChangeOf(article)?.revision ?? article.revision;
  return Object.assign(new ArticlePayload(), { article, revision });
}

const articleTarget = (article: Article) => ({ articleId: article.id });

/** The editorial writes of articles (README "Editing content"); each needs content:write. */
@Resolver(_of => Article)
export class ArticleMutationResolver {
  @Mutation(_returns => ArticlePayload, {
    description:
      'Creates a draft article (needs a token with the content:write scope). Invalid input is BAD_USER_INPUT with extensions.field; nothing is written on any error.',
  })
  async createArticle(
    @Arg('input', _type => CreateArticleInput) input: CreateArticleInput,
    @Ctx() context: Context,
  ): Promise<ArticlePayload> {
    const article = await written(
      context,
      'createArticle',
      request => createArticle(request, input),
      articleTarget,
    );
    return payload(article);
  }

  @Mutation(_returns => ArticlePayload, {
    description:
      'Changes the given fields of an article; CONFLICT (with extensions.currentRevision) where expectedRevision is not the current one. With draft: true on a published article, the change is kept as its pending change and the public article stays as it is (README "Preview").',
  })
  async updateArticle(
    @Arg('input', _type => UpdateArticleInput) input: UpdateArticleInput,
    @Ctx() context: Context,
  ): Promise<ArticlePayload> {
    const article = await written(
      context,
      'updateArticle',
      request => updateArticle(request, input),
      articleTarget,
    );
    return payload(article);
  }

  @Mutation(_returns => ArticlePayload, {
    description:
      'Publishes an article now, or schedules it for a later time; applies its pending change in the same write, as one revision.',
  })
  async publishArticle(
    @Arg('input', _type => PublishArticleInput) input: PublishArticleInput,
    @Ctx() context: Context,
  ): Promise<ArticlePayload> {
    const article = await written(
      context,
      'publishArticle',
      request => setArticleStatus(request, input, ArticleStatus.PUBLISHED),
      articleTarget,
    );
    return payload(article);
  }

  @Mutation(_returns => ArticlePayload, {
    description: 'Makes an article a draft again: no longer public, its views no longer counted.',
  })
  async unpublishArticle(
    @Arg('input', _type => ArticleRefInput) input: ArticleRefInput,
    @Ctx() context: Context,
  ): Promise<ArticlePayload> {
    const article = await written(
      context,
      'unpublishArticle',
      request => setArticleStatus(request, input, ArticleStatus.DRAFT),
      articleTarget,
    );
    return payload(article);
  }

  @Mutation(_returns => ArticlePayload, {
    description: 'Archives an article: no longer public, kept with its views and revisions.',
  })
  async archiveArticle(
    @Arg('input', _type => ArticleRefInput) input: ArticleRefInput,
    @Ctx() context: Context,
  ): Promise<ArticlePayload> {
    const article = await written(
      context,
      'archiveArticle',
      request => setArticleStatus(request, input, ArticleStatus.ARCHIVED),
      articleTarget,
    );
    return payload(article);
  }

  @Mutation(_returns => DeleteArticlePayload, {
    description:
      'Deletes an article with its links, revisions, earlier slugs and view counts; cannot be undone.',
  })
  async deleteArticle(
    @Arg('input', _type => ArticleRefInput) input: ArticleRefInput,
    @Ctx() context: Context,
  ): Promise<DeleteArticlePayload> {
    const deleted = await written(
      context,
      'deleteArticle',
      request => deleteArticle(request, input),
      result => ({ articleId: result.id }),
    );
    return Object.assign(new DeleteArticlePayload(), { deletedId: deleted.id, slug: deleted.slug });
  }

  @Mutation(_returns => ArticlePayload, {
    description:
      'Writes the content, slug, authors and tags of a kept revision back, as a new revision; status and publication date stay.',
  })
  async restoreArticleRevision(
    @Arg('input', _type => RestoreArticleRevisionInput) input: RestoreArticleRevisionInput,
    @Ctx() context: Context,
  ): Promise<ArticlePayload> {
    const article = await written(
      context,
      'restoreArticleRevision',
      request => restoreArticleRevision(request, input),
      articleTarget,
    );
    return payload(article);
  }

  @Mutation(_returns => ArticlePayload, {
    description:
      'Drops the pending change of a published article and its unpublished revisions; the public article stays as it is. An article without one is answered as it is.',
  })
  async discardPendingChanges(
    @Arg('input', _type => ArticleRefInput) input: ArticleRefInput,
    @Ctx() context: Context,
  ): Promise<ArticlePayload> {
    const article = await written(
      context,
      'discardPendingChanges',
      request => discardPendingChanges(request, input),
      articleTarget,
    );
    return payload(article);
  }

  @FieldResolver(_returns => Int, {
    nullable: true,
    description:
      'The revision of the pending change this answer shows: set where a preview (preview: true, a preview link) or a draft: true update answers a published article with unpublished changes applied; null for the public article. Send it as expectedRevision.',
  })
  pendingRevision(@Root() article: Article): number | null {
    return pendingChangeOf(article)?.revision ?? null;
  }

  @FieldResolver(_returns => [ArticleRevision], {
    complexity: 1,
    description:
      'The last kept revisions, newest first (needs a token with content:write or content:preview).',
  })
  async revisions(
    @Root() article: Article,
    @Arg('first', _type => Int, { nullable: true, defaultValue: 10 }) first: number | null,
    @Ctx() { loaders, viewer }: Context,
  ): Promise<ArticleRevision[]> {
    if (!viewer.scopes.has('content:preview')) requireScope(viewer, 'content:write');
    const size = checkPageSize(first);
    return (await loaders.revisionsByArticleId.load(article.internalId)).slice(0, size);
  }
}
