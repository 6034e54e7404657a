import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from './epochMs';

/**
 * One kept version of an article: who made it, when, which fields it changed, and the editable
 * fields as they were after it (JSON), from which restoreArticleRevision writes them back.
 */
@Entity({ name: 'article_revision' })
@ObjectType({
  simpleResolvers: true,
  description: 'One change of an article, kept so it can be looked at and restored.',
})
export class ArticleRevision {
  @PrimaryColumn({ name: 'article_id', type: 'integer' })
  articleId!: number;

  @Field(_type => Int, { description: 'The article revision this change made.' })
  @PrimaryColumn({ type: 'integer' })
  revision!: number;

  @Field(_type => Date)
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;

  @Field(_type => String, {
    nullable: true,
    description: 'The name of the API token that made the change; null for the Markdown import.',
  })
  @Column({ name: 'token_name', type: 'varchar', length: 100, nullable: true })
  tokenName!: string | null;

  @Field(_type => String, {
    description:
      "The operation, e.g. 'createArticle', 'updateArticle', 'publishArticle' or 'import'.",
  })
  @Column({ type: 'varchar', length: 40 })
  operation!: string;

  @Field(_type => [String], {
    description: "The fields it changed, e.g. ['title', 'slug']; every field for the first.",
  })
  get fields(): string[] {
    return this.fieldsChanged ? this.fieldsChanged.split(',') : [];
  }

  /** Comma-separated names of the input fields that changed. */
  @Column({ name: 'fields_changed', type: 'varchar', length: 1000 })
  fieldsChanged!: string;

  /** The editable fields after the change, as JSON (see content/editorial/articleSnapshot.ts). */
  @Column({ name: 'snapshot_json', type: 'text' })
  snapshotJson!: string;
}
