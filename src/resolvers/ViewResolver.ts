import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { recordView } from '../services/recordView';
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
      article: result.article,
    });
  }
}
