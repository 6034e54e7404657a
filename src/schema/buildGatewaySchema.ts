import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { DateTimeScalar } from './DateTimeScalar';
import { ArticleMutationResolver } from '../resolvers/ArticleMutationResolver';
import { ArticleResolver } from '../resolvers/ArticleResolver';
import { AuthorMutationResolver } from '../resolvers/AuthorMutationResolver';
import { AuthorResolver } from '../resolvers/AuthorResolver';
import { ChangesResolver } from '../resolvers/ChangesResolver';
import { NodeResolver } from '../resolvers/NodeResolver';
import { PreviewLinkResolver } from '../resolvers/PreviewLinkResolver';
import { RankingResolver } from '../resolvers/RankingResolver';
import { RedirectResolver } from '../resolvers/RedirectResolver';
import { TagMutationResolver } from '../resolvers/TagMutationResolver';
import { TagResolver } from '../resolvers/TagResolver';
import { ViewResolver } from '../resolvers/ViewResolver';
import { ViewStatsResolver } from '../resolvers/ViewStatsResolver';

export const resolvers = [
  ArticleResolver,
  AuthorResolver,
  TagResolver,
  NodeResolver,
  RankingResolver,
  ViewStatsResolver,
  ViewResolver,
  PreviewLinkResolver,
  ChangesResolver,
  RedirectResolver,
  ArticleMutationResolver,
  AuthorMutationResolver,
  TagMutationResolver,
] as const;

/**
 * Builds the executable schema from the resolver classes; Date is the contract's DateTime.
 * Object types declare `simpleResolvers: true`: their plain properties use graphql-js's default
 * resolver instead of a TypeGraphQL wrapper (no global middlewares or validation here to run).
 */
export function buildGatewaySchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    emitSchemaFile: false,
  });
}
