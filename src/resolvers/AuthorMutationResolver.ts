import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { written } from './ArticleMutationResolver';
import { writeAuthor } from '../content/editorial/nameWrites';
import type { Context } from '../context';
import { AuthorInput, UpdateAuthorInput } from './types/NameMutationInputs';
import { AuthorPayload } from './types/NameMutationPayloads';

@Resolver(_of => AuthorPayload)
export class AuthorMutationResolver {
  @Mutation(_returns => AuthorPayload, {
    description: 'Creates an author (needs a token with the content:write scope).',
  })
  async createAuthor(
    @Arg('input', _type => AuthorInput) input: AuthorInput,
    @Ctx() context: Context,
  ): Promise<AuthorPayload> {
    const author = await written(
      context,
      'createAuthor',
      request => writeAuthor(request, { ...input, id: undefined }),
      result => ({ authorId: result.id }),
    );
    return Object.assign(new AuthorPayload(), { author });
  }

  @Mutation(_returns => AuthorPayload, { description: 'Changes the given fields of an author.' })
  async updateAuthor(
    @Arg('input', _type => UpdateAuthorInput) input: UpdateAuthorInput,
    @Ctx() context: Context,
  ): Promise<AuthorPayload> {
    const author = await written(
      context,
      'updateAuthor',
      request => writeAuthor(request, input),
      result => ({ authorId: result.id }),
    );
    return Object.assign(new AuthorPayload(), { author });
  }
}
