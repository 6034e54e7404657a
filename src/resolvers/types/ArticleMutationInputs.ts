import { Field, ID, InputType, Int } from 'type-graphql';
import { ImageInput } from './ImageInput';

/**
 * The editable fields of an article, shared by createArticle and updateArticle. The rules are the
 * Markdown import's (README "Content"); a value that breaks one is BAD_USER_INPUT naming the field.
 */
@InputType()
class ArticleFieldsInput {
  @Field(_type => String, {
    nullable: true,
    description: 'A custom excerpt; null for the automatic one.',
  })
  excerpt?: string | null;

  @Field(_type => Boolean, { nullable: true })
  featured?: boolean | null;

  @Field(_type => ImageInput, { nullable: true, description: 'The main image; null removes it.' })
  mainImage?: ImageInput | null;

  @Field(_type => String, { nullable: true })
  seoTitle?: string | null;

  @Field(_type => String, { nullable: true })
  seoDescription?: string | null;

  @Field(_type => String, { nullable: true })
  canonicalUrl?: string | null;

  @Field(_type => String, {
    nullable: true,
    description:
      'Shared with the versions of the story in other languages (a slug such as four-day-week), at most one per locale; null removes it.',
  })
  translationKey?: string | null;

  @Field(_type => [ID], {
    nullable: true,
    description: 'The authors in order (the first is the primary author); replaces the list.',
  })
  authorIds?: string[] | null;

  @Field(_type => [ID], {
    nullable: true,
    description: 'The tags in order (the first is the primary tag); replaces the list.',
  })
  tagIds?: string[] | null;
}

@InputType({ description: 'A new article; it is a draft until publishArticle.' })
export class CreateArticleInput extends ArticleFieldsInput {
  @Field(_type => String)
  title!: string;

  @Field(_type => String, { description: 'Markdown, as in a content file.' })
  body!: string;

  @Field(_type => String, {
    nullable: true,
    description:
      'Lower-case letters, digits and single hyphens, unique among current and earlier slugs; made from the title where left out.',
  })
  slug?: string | null;

  @Field(_type => String, {
    nullable: true,
    defaultValue: 'en',
    description: "BCP 47 language tag, e.g. 'de' or 'en'.",
  })
  locale?: string | null;
}

@InputType({
  description:
    'A change of an article: only the fields given change (null clears an optional one). A new slug keeps the old one answering.',
})
export class UpdateArticleInput extends ArticleFieldsInput {
  @Field(_type => ID)
  id!: string;

  @Field(_type => Int, {
    description:
      'The revision the change is based on (pendingRevision where the article has a pending change); another current revision is CONFLICT.',
  })
  expectedRevision!: number;

  @Field(_type => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'On a published or scheduled article: keep the change as its pending change (Article.pendingRevision, shown by preview) and leave the public article as it is, until publishArticle applies it or discardPendingChanges drops it. On a draft or archived article the change is made as without it. Without it, an article with a pending change is CONFLICT.',
  })
  draft?: boolean | null;

  @Field(_type => String, { nullable: true })
  title?: string | null;

  @Field(_type => String, { nullable: true, description: 'Markdown, as in a content file.' })
  body?: string | null;

  @Field(_type => String, {
    nullable: true,
    description:
      'Unique among current and earlier slugs of other articles; the old one keeps answering.',
  })
  slug?: string | null;

  @Field(_type => String, {
    nullable: true,
    description: "BCP 47 language tag, e.g. 'de' or 'en'.",
  })
  locale?: string | null;
}

@InputType()
export class PublishArticleInput {
  @Field(_type => ID)
  id!: string;

  @Field(_type => Date, {
    nullable: true,
    description:
      'When it becomes public: now when left out (or its earlier date, where it had one), a later time schedules it.',
  })
  at?: Date | null;

  @Field(_type => Int, { nullable: true, description: 'Checked where given, as in updateArticle.' })
  expectedRevision?: number | null;
}

@InputType({ description: 'The article an unpublish, archive or delete is about.' })
export class ArticleRefInput {
  @Field(_type => ID)
  id!: string;

  @Field(_type => Int, { nullable: true, description: 'Checked where given, as in updateArticle.' })
  expectedRevision?: number | null;
}

@InputType()
export class RestoreArticleRevisionInput {
  @Field(_type => ID)
  id!: string;

  @Field(_type => Int, { description: 'The kept revision whose content is written back.' })
  revision!: number;

  @Field(_type => Int, { description: 'The current revision, as in updateArticle.' })
  expectedRevision!: number;
}
