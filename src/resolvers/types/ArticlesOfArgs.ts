import { ArgsType, Field, Int } from 'type-graphql';
import { ArticleOrder } from '../../entities/enums';

/** The arguments of Author.articles and Tag.articles. */
@ArgsType()
export class ArticlesOfArgs {
  @Field(_type => Int, { nullable: true, defaultValue: 20 })
  first!: number | null;

  @Field(_type => String, { nullable: true })
  after?: string | null;

  @Field(_type => ArticleOrder, { nullable: true, defaultValue: ArticleOrder.PUBLISHED_AT_DESC })
  orderBy!: ArticleOrder | null;
}
