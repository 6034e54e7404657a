import { Field, ID, InterfaceType } from 'type-graphql';

/** Anything that can be fetched again by its globally unique id with Query.node. */
@InterfaceType({
  description: 'Anything that can be fetched again by its globally unique id with Query.node.',
})
export abstract class Node {
  @Field(_type => ID)
  id!: string;
}
