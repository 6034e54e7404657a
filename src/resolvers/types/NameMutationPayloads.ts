import { Field, ObjectType } from 'type-graphql';
import { Author } from '../../entities/Author';
import { Tag } from '../../entities/Tag';

@ObjectType({ simpleResolvers: true })
export class AuthorPayload {
  @Field(_type => Author)
  author!: Author;
}

@ObjectType({ simpleResolvers: true })
export class TagPayload {
  @Field(_type => Tag)
  tag!: Tag;
}
