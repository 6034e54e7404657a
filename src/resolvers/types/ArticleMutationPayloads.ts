import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Article } from '../../entities/Article';

@ObjectType({ simpleResolvers: true, description: 'The article as a write left it.' })
export class ArticlePayload {
  @Field(_type => Article, { description: 'In any status: the writer sees its draft.' })
  article!: Article;

  @Field(_type => Int, {
    description:
      'The revision the write made: article.revision, or article.pendingRevision for a change kept as a pending one (updateArticle with draft: true). The next write sends it as expectedRevision.',
  })
  revision!: number;
}

@ObjectType({ simpleResolvers: true })
export class DeleteArticlePayload {
  @Field(_type => ID, { description: 'The id the article had.' })
  deletedId!: string;

  @Field(_type => String, {
    description: 'The slug it had; it and its earlier slugs are free again.',
  })
  slug!: string;
}
