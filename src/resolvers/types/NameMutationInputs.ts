import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'A name in one language, e.g. { locale: "en", name: "Career" }.' })
export class LocalizedNameInput {
  @Field(_type => String, { description: "A BCP 47 tag, e.g. 'en' or 'de-AT'." })
  locale!: string;

  @Field(_type => String)
  name!: string;
}

@InputType({ description: 'A new author, or (with id) a change: only the fields given change.' })
export class AuthorInput {
  @Field(_type => String, { nullable: true, description: 'Needed for a new author.' })
  name?: string | null;

  @Field(_type => [LocalizedNameInput], {
    nullable: true,
    description:
      'The name per language, read by name(locale:); replaces the stored list, null or [] removes it.',
  })
  names?: LocalizedNameInput[] | null;

  @Field(_type => String, { nullable: true, description: 'Made from the name where left out.' })
  slug?: string | null;

  @Field(_type => String, { nullable: true, description: 'Markdown; null removes it.' })
  bio?: string | null;

  @Field(_type => String, { nullable: true })
  avatarUrl?: string | null;
}

@InputType()
export class UpdateAuthorInput extends AuthorInput {
  @Field(_type => ID)
  id!: string;
}

@InputType({ description: 'A new tag, or (with id) a change: only the fields given change.' })
export class TagInput {
  @Field(_type => String, { nullable: true, description: 'Needed for a new tag.' })
  name?: string | null;

  @Field(_type => [LocalizedNameInput], {
    nullable: true,
    description:
      'The name per language, read by name(locale:); replaces the stored list, null or [] removes it.',
  })
  names?: LocalizedNameInput[] | null;

  @Field(_type => String, { nullable: true, description: 'Made from the name where left out.' })
  slug?: string | null;

  @Field(_type => String, { nullable: true, description: 'Markdown; null removes it.' })
  description?: string | null;
}

@InputType()
export class UpdateTagInput extends TagInput {
  @Field(_type => ID)
  id!: string;
}
