import { Field, ObjectType } from 'type-graphql';
import { Article } from '../../entities/Article';

@ObjectType({ simpleResolvers: true })
export class RecordViewPayload {
  @Field(_type => Boolean, {
    description:
      'False where the view was a repeat within the dedupe period, or came from a bot, a prefetch, a visitor over the rate, or was of an unpublished article.',
  })
  counted!: boolean;

  @Field(_type => Article, { nullable: true })
  article!: Article | null;
}
