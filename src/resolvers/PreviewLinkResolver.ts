import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { previewArticle } from '../content/preview/articlePreview';
import { createPreviewLink } from '../content/preview/previewLinks';
import type { Context } from '../context';
import { Article } from '../entities/Article';
import { decodeGlobalId } from '../relay/globalId';
import { CreatePreviewLinkInput } from './types/CreatePreviewLinkInput';
import { PreviewLinkPayload } from './types/PreviewLinkPayload';

@Resolver(_of => PreviewLinkPayload)
export class PreviewLinkResolver {
  @Mutation(_returns => PreviewLinkPayload, {
    description:
      'A short-lived signed preview link for one article (needs content:preview or content:write): FORBIDDEN without the scope, NOT_FOUND for an unknown article.',
  })
  async createPreviewLink(
    @Arg('input', _type => CreatePreviewLinkInput) input: CreatePreviewLinkInput,
    @Ctx() { sql, viewer, now, config }: Context,
  ): Promise<PreviewLinkPayload> {
    const decoded = decodeGlobalId(input.articleId);
    const link = await createPreviewLink(
      { sql, viewer, now, secret: config },
      decoded?.type === 'Article' ? decoded.internalId : null,
      input.ttlSeconds ?? 7200,
      JSON.stringify(input.articleId),
    );
    return Object.assign(new PreviewLinkPayload(), link);
  }

  @FieldResolver(_returns => Article, { description: 'The article the link opens.' })
  async article(
    @Root() payload: PreviewLinkPayload,
    @Ctx() { sql, viewer, now, config }: Context,
  ): Promise<Article> {
    const article = await previewArticle(
      { sql, viewer, now, secret: config },
      { slug: null, internalId: payload.articleId, previewToken: null },
    );
    if (!article) throw new Error(`article ${payload.articleId} has no row`);
    return article;
  }
}
