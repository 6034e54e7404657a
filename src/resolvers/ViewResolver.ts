import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Article } from '../entities/Article';
import { recordView } from '../views/recordView';
import { RecordViewInput } from './types/RecordViewInput';
import { RecordViewPayload } from './types/RecordViewPayload';

@Resolver(_of => RecordViewPayload)
export class ViewResolver {
  @Mutation(_returns => RecordViewPayload, {
    description:
      'Counts one read of an article; bots, prefetches, repeats within the dedupe period, visitors over the rate and unpublished articles are accepted but not counted.',
  })
  async recordView(
    @Arg('input', _type => RecordViewInput) input: RecordViewInput,
    @Ctx() context: Context,
  ): Promise<RecordViewPayload> {
    const result = await recordView(context, input);
    return Object.assign(new RecordViewPayload(), {
      counted: result.counted,
      reason: result.reason,
      articleId: result.articleId,
    });
  }

  /** Read only when a client asks for it: most front ends send the view and ignore the answer. */
  @FieldResolver(_returns => Article, { nullable: true })
  article(
    @Root() payload: RecordViewPayload,
    @Ctx() { loaders }: Context,
  ): Promise<Article | null> | null {
    return payload.articleId === null ? null : loaders.articleById.load(payload.articleId);
  }
}
