import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { recordEngagement } from '../views/recordEngagement';
import { RecordEngagementInput } from './types/RecordEngagementInput';
import { RecordEngagementPayload } from './types/RecordEngagementPayload';

@Resolver(_of => RecordEngagementPayload)
export class EngagementResolver {
  @Mutation(_returns => RecordEngagementPayload, {
    description:
      "A counted view's engagement on page leave (seconds visible, deepest scroll), once per viewId, within two hours of the view: READS and average engaged seconds are counted from it.",
  })
  async recordEngagement(
    @Arg('input', _type => RecordEngagementInput) input: RecordEngagementInput,
    @Ctx() context: Context,
  ): Promise<RecordEngagementPayload> {
    const result = await recordEngagement(context, context.config.views, input);
    return Object.assign(new RecordEngagementPayload(), result);
  }
}
