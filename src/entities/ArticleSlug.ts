import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from './epochMs';

/** An earlier slug of an article: a request for it answers the article under its current slug. */
@Entity({ name: 'article_slug' })
export class ArticleSlug {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  slug!: string;

  @Column({ name: 'article_id', type: 'integer' })
  articleId!: number;

  @Column({ name: 'retired_at', type: 'bigint', transformer: epochMs })
  retiredAt!: Date;
}
