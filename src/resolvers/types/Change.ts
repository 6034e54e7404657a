import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Article } from '../../entities/Article';
import { Author } from '../../entities/Author';
import { Tag } from '../../entities/Tag';

/** What a consumer does with a change. */
export enum ChangeKind {
  UPSERT = 'UPSERT',
  DELETE = 'DELETE',
}

registerEnumType(ChangeKind, {
  name: 'ChangeKind',
  description: 'What a consumer of `changes` does with one change.',
  valuesConfig: {
    UPSERT: { description: 'Store the node as it is now (article, tag or author).' },
    DELETE: {
      description:
        'Forget the node: deleted, or no longer public (unpublished, archived, moved to a later time).',
    },
  },
});

@ObjectType({
  description:
    'One change of public content, in commit order: an upsert with the node as it is now, or a tombstone.',
})
export class Change {
  @Field(_type => ChangeKind)
  kind!: ChangeKind;

  @Field(_type => ID, { description: 'The global id of the article, tag or author (Node.id).' })
  nodeId!: string;

  @Field(_type => String, {
    description:
      "The change event's type: article.published, article.updated, article.unpublished, article.deleted, tag.created, tag.updated, author.created, author.updated.",
  })
  event!: string;

  @Field(_type => Date)
  occurredAt!: Date;

  @Field(_type => Article, { nullable: true, description: 'The article, for an UPSERT of one.' })
  article!: Article | null;

  @Field(_type => Tag, { nullable: true, description: 'The tag, for an UPSERT of one.' })
  tag!: Tag | null;

  @Field(_type => Author, { nullable: true, description: 'The author, for an UPSERT of one.' })
  author!: Author | null;
}
