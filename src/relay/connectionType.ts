import { type ClassType, Field, Int, ObjectType } from 'type-graphql';
import { PageInfo } from './PageInfo';

/**
 * What every connection has besides its edges: pageInfo, and a totalCount computed only when a
 * query asks for it (countTotal is set by connectionOf).
 */
@ObjectType()
export abstract class CountedConnection {
  @Field(_type => PageInfo)
  pageInfo!: PageInfo;

  // complexity 1: a COUNT query of its own (the cost model in src/plugins/queryLimits.ts).
  @Field(_type => Int, { complexity: 1 })
  totalCount(): Promise<number> {
    return this.countTotal();
  }

  countTotal!: () => Promise<number>;
}

/** An edge of a connection: the node and the opaque cursor that points after it. */
export interface Edge<Node> {
  cursor: string;
  node: Node;
}

/** A connection of Node objects as a class: its GraphQL type and the objects resolvers return. */
export type ConnectionClass<Node> = new () => CountedConnection & { edges: Edge<Node>[] };

/**
 * The Relay connection and edge types of one node type, `<name>Connection` and `<name>Edge`,
 * with pageInfo and a lazy totalCount: one definition for every paginated list of the schema.
 */
export function countedConnectionType<Node extends object>(
  name: string,
  NodeType: ClassType<Node>,
): ConnectionClass<Node> {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class EdgeType implements Edge<Node> {
    @Field(_type => String)
    cursor!: string;

    @Field(_type => NodeType)
    node!: Node;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class ConnectionType extends CountedConnection {
    @Field(_type => [EdgeType])
    edges!: Edge<Node>[];
  }

  return ConnectionType;
}

/** Builds a connection object from edges and a lazy total. */
export function connectionOf<Node>(
  Type: ConnectionClass<Node>,
  edges: Edge<Node>[],
  page: { hasNextPage: boolean; hasPreviousPage: boolean },
  countTotal: () => Promise<number>,
): InstanceType<ConnectionClass<Node>> {
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
