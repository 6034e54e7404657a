import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { written } from './ArticleMutationResolver';
import { writeTag } from '../content/editorial/nameWrites';
import type { Context } from '../context';
import { TagInput, UpdateTagInput } from './types/NameMutationInputs';
import { TagPayload } from './types/NameMutationPayloads';

@Resolver(_of => TagPayload)
export class TagMutationResolver {
  @Mutation(_returns => TagPayload, {
    description: 'Creates a tag (needs a token with the content:write scope).',
  })
  async createTag(
    @Arg('input', _type => TagInput) input: TagInput,
    @Ctx() context: Context,
  ): Promise<TagPayload> {
    const tag = await written(
      context,
      'createTag',
      request => writeTag(request, { ...input, id: undefined }),
      result => ({ tagId: result.id }),
    );
    return Object.assign(new TagPayload(), { tag });
  }

  @Mutation(_returns => TagPayload, { description: 'Changes the given fields of a tag.' })
  async updateTag(
    @Arg('input', _type => UpdateTagInput) input: UpdateTagInput,
    @Ctx() context: Context,
  ): Promise<TagPayload> {
    const tag = await written(
      context,
      'updateTag',
      request => writeTag(request, input),
      result => ({ tagId: result.id }),
    );
    return Object.assign(new TagPayload(), { tag });
  }
}
