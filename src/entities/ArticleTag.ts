import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The ordered link of an article to its tags; position 0 is the primary tag. */
@Entity({ name: 'article_tag' })
export class ArticleTag {
  @PrimaryColumn({ name: 'article_id', type: 'integer' })
  articleId!: number;

  @PrimaryColumn({ name: 'tag_id', type: 'integer' })
  tagId!: number;

  @Column({ type: 'integer' })
  position!: number;
}
