import { Field, Int, ObjectType } from 'type-graphql';
import { Article } from '../../entities/Article';
import { Author } from '../../entities/Author';
import { PageInfo } from '../../relay/PageInfo';
import { Tag } from '../../entities/Tag';

/**
 * What every connection has besides its edges: pageInfo, and a totalCount computed only when a
 * query asks for it (countTotal is set by connectionOf).
 */
@ObjectType()
export abstract class CountedConnection {
  @Field(_type => PageInfo)
  pageInfo!: PageInfo;

  // complexity 1: a COUNT query of its own (cost model: src/services/queryLimits.ts).
  @Field(_type => Int, { complexity: 1 })
  totalCount(): Promise<number> {
    return this.countTotal();
  }

  countTotal!: () => Promise<number>;
}

@ObjectType({ simpleResolvers: true })
export class ArticleEdge {
  @Field(_type => String)
  cursor!: string;

  @Field(_type => Article)
  node!: Article;
}

@ObjectType({ simpleResolvers: true })
export class ArticleConnection extends CountedConnection {
  @Field(_type => [ArticleEdge])
  edges!: ArticleEdge[];
}

@ObjectType({ simpleResolvers: true })
export class AuthorEdge {
  @Field(_type => String)
  cursor!: string;

  @Field(_type => Author)
  node!: Author;
}

@ObjectType({ simpleResolvers: true })
export class AuthorConnection extends CountedConnection {
  @Field(_type => [AuthorEdge])
  edges!: AuthorEdge[];
}

@ObjectType({ simpleResolvers: true })
export class TagEdge {
  @Field(_type => String)
  cursor!: string;

  @Field(_type => Tag)
  node!: Tag;
}

@ObjectType({ simpleResolvers: true })
export class TagConnection extends CountedConnection {
  @Field(_type => [TagEdge])
  edges!: TagEdge[];
}

/** Builds a connection object from edges and a lazy total. */
export function connectionOf<C extends CountedConnection, E extends { cursor: string }>(
  Type: new () => C & { edges: E[]; pageInfo: PageInfo },
  edges: E[],
  page: { hasNextPage: boolean; hasPreviousPage: boolean },
  countTotal: () => Promise<number>,
): C {
  const connection = new Type();
  connection.edges = edges;
  connection.pageInfo = Object.assign(new PageInfo(), {
    hasNextPage: page.hasNextPage,
    hasPreviousPage: page.hasPreviousPage,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges.at(-1)?.cursor ?? null,
  });
  connection.countTotal = countTotal;
  return connection;
}
