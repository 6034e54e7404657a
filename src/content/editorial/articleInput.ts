import type { z } from 'zod';
import type { ArticleValues } from './articleColumns';
import { articleRules, madeSlug, maxAuthors, maxTags, nameRules } from './articleRules';
import { BadUserInputError } from '../../errors/BadUserInputError';

/** The main image as a mutation sets it: all of it at once. */
export interface ImageFields {
  url: string;
  alt?: string | null;
  caption?: string | null;
  width?: number | null;
  height?: number | null;
}

/**
 * The editable fields of createArticle and updateArticle. Left out (undefined): unchanged (on
 * create, the import's default). null: cleared, where the field may be empty.
 */
export interface ArticleFields {
  title?: string | null;
  slug?: string | null;
  body?: string | null;
  locale?: string | null;
  excerpt?: string | null;
  featured?: boolean | null;
  mainImage?: ImageFields | null;
  seoTitle?: string | null;
  seoDescription?: string | null;
  canonicalUrl?: string | null;
  translationKey?: string | null;
  authorIds?: readonly string[] | null;
  tagIds?: readonly string[] | null;
}

/** A value in a message: quoted, and cut where it is long. */
export function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Checks one value against its rule: the parsed value, or BAD_USER_INPUT naming `field`. */
export function checked<T>(rule: z.ZodType<T>, value: unknown, field: string): T {
  const result = rule.safeParse(value);
  if (result.success) return result.data;
  throw new BadUserInputError(
    `${field}: ${result.error.issues[0]?.message ?? 'invalid'}, got ${shown(value)}.`,
    field,
  );
}

function notNull<T>(value: T | null, field: string): T {
  if (value === null) throw new BadUserInputError(`${field}: must not be null.`, field);
  return value;
}

/**
 * Applies the given fields to an article's values, each checked by the rule the import uses
 * (src/content/editorial/articleRules.ts); the first field that breaks its rule is BAD_USER_INPUT
 * with extensions.field, e.g. "input.slug". Without a slug, a new article's slug is made from its
 * title, as the import makes it.
 */
export function applyArticleFields(
  base: ArticleValues,
  input: ArticleFields,
  creating: boolean,
): ArticleValues {
  const next = { ...base };
  const field = (name: string) => `input.${name}`;
  if (input.title !== undefined) {
    next.title = checked(articleRules.title, notNull(input.title, field('title')), field('title'));
  }
  if (input.slug !== undefined && input.slug !== null) {
    next.slug = checked(articleRules.slug, input.slug, field('slug'));
  } else if (input.slug === null && !creating) {
    notNull(input.slug, field('slug'));
  } else if (creating) {
    const made = madeSlug(next.title);
    if (made) next.slug = made;
    else {
      throw new BadUserInputError(
        `input.title: no slug can be made from it, got ${shown(next.title)}; give input.slug.`,
        field('title'),
      );
    }
  }
  if (input.body !== undefined) {
    next.body = checked(articleRules.body, notNull(input.body, field('body')), field('body'));
  }
  if (input.locale !== undefined) {
    const locale = notNull(input.locale, field('locale'));
    next.locale = checked(articleRules.locale, locale, field('locale'));
  }
  if (input.featured !== undefined) {
    next.featured = notNull(input.featured, field('featured'));
  }
  for (const name of [
    'excerpt',
    'seoTitle',
    'seoDescription',
    'canonicalUrl',
    'translationKey',
  ] as const) {
    if (input[name] !== undefined) {
      next[name] = checked(articleRules[name], input[name], field(name)) ?? null;
    }
  }
  if (input.mainImage !== undefined) {
    const image = input.mainImage;
    const part = (name: string) => field(`mainImage.${name}`);
    next.imageUrl = image ? (checked(articleRules.imageUrl, image.url, part('url')) ?? null) : null;
    next.imageAlt = image ? (checked(articleRules.imageAlt, image.alt, part('alt')) ?? null) : null;
    next.imageCaption = image
      ? (checked(articleRules.imageCaption, image.caption, part('caption')) ?? null)
      : null;
    next.imageWidth = image
      ? (checked(articleRules.imageWidth, image.width, part('width')) ?? null)
      : null;
    next.imageHeight = image
      ? (checked(articleRules.imageHeight, image.height, part('height')) ?? null)
      : null;
  }
  return next;
}

/** The count limits of the link lists, as the import has them. */
export function checkLinkCounts(input: ArticleFields): void {
  for (const [name, max] of [
    ['authorIds', maxAuthors],
    ['tagIds', maxTags],
  ] as const) {
    const list = input[name];
    if (list && list.length > max) {
      throw new BadUserInputError(
        `input.${name}: at most ${max} ids, got ${list.length}.`,
        `input.${name}`,
      );
    }
  }
}

/** An author's or tag's name, slug and text, checked by the import's rules. */
export const nameFieldRules = nameRules;
