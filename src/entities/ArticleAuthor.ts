import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The ordered link of an article to its authors; position 0 is the primary author. */
@Entity({ name: 'article_author' })
export class ArticleAuthor {
  @PrimaryColumn({ name: 'article_id', type: 'integer' })
  articleId!: number;

  @PrimaryColumn({ name: 'author_id', type: 'integer' })
  authorId!: number;

  @Column({ type: 'integer' })
  position!: number;
}
