import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ArticleStatus } from './enums';
import { epochMs } from './epochMs';
import { PartlyLoaded } from './PartlyLoaded';
import { encodeGlobalId } from '../relay/globalId';
import { Node } from '../relay/Node';

/**
 * An article as stored: Markdown plus what is derived from it at import (HTML, text, headings,
 * word and image counts, the automatic excerpt, the search text), so that requests do no parsing.
 * Relation, body and computed fields are resolved in ArticleResolver.
 */
@Entity({ name: 'article' })
@ObjectType({ implements: Node, simpleResolvers: true })
export class Article extends PartlyLoaded implements Node {
  @PrimaryGeneratedColumn({ name: 'internal_id' })
  internalId!: number;

  @Field(_type => ID)
  get id(): string {
    return encodeGlobalId('Article', this.internalId);
  }

  @Field(_type => String)
  @Column({ type: 'varchar', length: 200, unique: true })
  slug!: string;

  @Field(_type => String)
  @Column({ type: 'varchar', length: 500 })
  title!: string;

  /** Lower-cased, folded title for TITLE_ASC: the same order on SQLite and PostgreSQL. */
  @Column({ name: 'sort_title', type: 'varchar', length: 500 })
  sortTitle!: string;

  @Field(_type => String, { description: "BCP 47 language tag, e.g. 'de' or 'en'." })
  @Column({ type: 'varchar', length: 35 })
  locale!: string;

  @Field(_type => String, {
    nullable: true,
    description:
      "Shared by the versions of one story in several languages (at most one per locale), e.g. 'four-day-week'.",
  })
  @Column({ name: 'translation_key', type: 'varchar', length: 200, nullable: true })
  translationKey!: string | null;

  // status, featured and the SEO fields are resolved in ArticleResolver: lists read them only
  // when asked for (detailsLoaded, see db/reads/articleRows.ts).
  @Column({ type: 'varchar', length: 16 })
  status!: ArticleStatus;

  @Column({ type: 'boolean', default: false })
  featured!: boolean;

  @Field(_type => Date, { nullable: true })
  @Column({ name: 'published_at', type: 'bigint', nullable: true, transformer: epochMs })
  publishedAt!: Date | null;

  @Field(_type => Date)
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: Date;

  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;

  @Field(_type => Int, {
    description:
      'The version of the article: 1 when created, one more with each change. updateArticle sends it back as expectedRevision.',
  })
  @Column({ type: 'integer', default: 1 })
  revision!: number;

  // The publishedAt an article.published change event was recorded for (epoch ms): bookkeeping of
  // the change events (src/content/changes/), written only by their SQL. Never public, never read
  // into an entity, never written back by TypeORM (which would put a stale value back).
  @Column({
    name: 'published_announced_at',
    type: 'bigint',
    nullable: true,
    select: false,
    insert: false,
    update: false,
  })
  publishedAnnouncedAt?: number | null;

  @Column({ name: 'body_markdown', type: 'text' })
  bodyMarkdown!: string;

  @Column({ name: 'body_html', type: 'text' })
  bodyHtml!: string;

  @Column({ name: 'body_text', type: 'text' })
  bodyText!: string;

  /** JSON array of { level, text, anchor }. */
  @Column({ name: 'headings_json', type: 'text' })
  headingsJson!: string;

  @Column({ name: 'word_count', type: 'integer' })
  wordCount!: number;

  @Column({ name: 'image_count', type: 'integer' })
  imageCount!: number;

  @Column({ name: 'custom_excerpt', type: 'text', nullable: true })
  customExcerpt!: string | null;

  @Column({ name: 'auto_excerpt', type: 'text' })
  autoExcerpt!: string;

  @Column({ name: 'image_url', type: 'varchar', length: 2000, nullable: true })
  imageUrl!: string | null;

  @Column({ name: 'image_alt', type: 'varchar', length: 1000, nullable: true })
  imageAlt!: string | null;

  @Column({ name: 'image_caption', type: 'varchar', length: 1000, nullable: true })
  imageCaption!: string | null;

  @Column({ name: 'image_width', type: 'integer', nullable: true })
  imageWidth!: number | null;

  @Column({ name: 'image_height', type: 'integer', nullable: true })
  imageHeight!: number | null;

  @Column({ name: 'seo_title', type: 'varchar', length: 500, nullable: true })
  seoTitle!: string | null;

  @Column({ name: 'seo_description', type: 'varchar', length: 1000, nullable: true })
  seoDescription!: string | null;

  @Column({ name: 'canonical_url', type: 'varchar', length: 2000, nullable: true })
  canonicalUrl!: string | null;
}
