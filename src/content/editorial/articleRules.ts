import { z } from 'zod';
import { localePattern } from '../localeFallback';
import { slugOf } from '../textFolding';

/**
 * The rules of each editable article, author and tag field: the one place both the Markdown
 * import (front matter) and the editorial mutations take them from, so a value one accepts the
 * other accepts too.
 */
export const slugRule = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected lower-case letters, digits and single hyphens')
  .max(200);

/**
 * The slug made from a title or name where none is given ("Jörg Weiß" -> "joerg-weiss"); null
 * where what is made breaks the slug rule (a title in a script without Latin letters), so the
 * writer is asked for a slug instead of getting one the rule would refuse if written out.
 */
export function madeSlug(text: string): string | null {
  const made = slugOf(text);
  return made && slugRule.safeParse(made).success ? made : null;
}

/** A text that may be left out or null (and is then null); given, it has a character. */
export const optionalText = (max: number) => z.string().trim().min(1).max(max).nullish();

export const articleRules = {
  title: z.string().trim().min(1).max(500),
  slug: slugRule,
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a BCP 47 tag such as de or en-GB'),
  body: z.string().refine(value => value.trim().length > 0, 'the article has no body'),
  excerpt: optionalText(1000),
  featured: z.boolean(),
  imageUrl: optionalText(2000),
  imageAlt: optionalText(1000),
  imageCaption: optionalText(1000),
  imageWidth: z.number().int().positive().max(20_000).nullish(),
  imageHeight: z.number().int().positive().max(20_000).nullish(),
  seoTitle: optionalText(500),
  seoDescription: optionalText(1000),
  canonicalUrl: z.string().url().max(2000).nullish(),
  // Shared by the versions of one story in several languages (README "Translations").
  translationKey: slugRule.nullish(),
};

/** At most this many authors and tags an article; the first of each is its primary one. */
export const maxAuthors = 20;
export const maxTags = 50;

export const nameRules = {
  slug: slugRule,
  name: z.string().trim().min(1).max(300),
  avatarUrl: optionalText(2000),
  bio: optionalText(100_000),
  description: optionalText(100_000),
  // The name per language: { en: "Career" } (README "Translations").
  names: z
    .record(
      z.string().regex(localePattern, 'expected BCP 47 tags such as de or en-GB as keys'),
      z.string().trim().min(1).max(300),
    )
    .refine(value => Object.keys(value).length <= 50, 'expected at most 50 languages')
    .optional(),
};
