import { plainText } from './plainText';
import { cutAtWord } from '../../markdown';

/** What a Yoast or Rank Math template can name that the import knows. */
export interface SeoContext {
  title: string;
  siteName: string;
  excerpt: string | null;
  primaryCategory: string | null;
}

/**
 * A Yoast (%%title%%) or Rank Math (%title%) SEO template as the text it stands for: the post's
 * title, the site's name, the excerpt and the primary category are put in, the separator is "-",
 * and every other variable (page numbers, dates, custom fields) is dropped with what is left
 * tidied. Null where nothing is left or it says no more than the title itself.
 */
export function resolveSeoTemplate(
  template: string,
  context: SeoContext,
  max: number,
): string | null {
  const values: Record<string, string> = {
    title: context.title,
    sitename: context.siteName,
    excerpt: context.excerpt ?? '',
    excerpt_only: context.excerpt ?? '',
    primary_category: context.primaryCategory ?? '',
    category: context.primaryCategory ?? '',
    sep: '-',
  };
  const text = plainText(template)
    .replace(/%%([a-z0-9_]+)%%|%([a-z0-9_]+)%/gi, (_whole, yoast?: string, rankMath?: string) => {
      const name = (yoast ?? rankMath ?? '').toLowerCase();
      return values[name] ?? '';
    })
    .replace(/\s+/g, ' ')
    .replace(/^[\s|\-–—:·•]+|[\s|\-–—:·•]+$/g, '')
    .replace(/(\s[|\-–—:·•])+(?=\s)/g, match => match.slice(-2))
    .trim();
  if (!text || text === context.title) return null;
  return text.length <= max ? text : cutAtWord(text, max - 1);
}

/** The first of these meta keys that has a value. */
export function firstMeta(meta: Map<string, string[]>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const values = meta.get(key);
    const value = values?.[values.length - 1]?.trim();
    if (value) return value;
  }
  return null;
}
