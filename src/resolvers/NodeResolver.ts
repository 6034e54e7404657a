import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { decodeGlobalId } from '../relay/globalId';
import { Node } from '../relay/Node';

@Resolver()
export class NodeResolver {
  @Query(_returns => Node, {
    nullable: true,
    description: 'Anything with an id, fetched again by it; null for an unknown or non-public id.',
  })
  async node(
    @Arg('id', _type => ID) id: string,
    @Ctx() { loaders }: Context,
  ): Promise<Node | null> {
    const decoded = decodeGlobalId(id);
    if (!decoded) return null;
    switch (decoded.type) {
      case 'Article':
        return loaders.articleById.load(decoded.internalId);
      case 'Author':
        return loaders.authorById.load(decoded.internalId);
      case 'Tag':
        return loaders.tagById.load(decoded.internalId);
    }
  }
}
