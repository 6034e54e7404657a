import { normalizeOldPath } from '../import/source/articleOrigins';

// As the editorial rules make slugs (src/content/editorial/articleRules.ts).
const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The path of an article's page per ARTICLE_URL_PATTERN ("/artikel/{slug}" -> "/artikel/neu"),
 * or the absolute URL where the pattern is one: where a redirect sends a reader.
 */
export function articleLocation(
  pattern: string,
  article: { slug: string; locale: string },
): string {
  return pattern
    .replace('{slug}', encodeURIComponent(article.slug))
    .replace('{locale}', encodeURIComponent(article.locale));
}

/** The path part of ARTICLE_URL_PATTERN, as normalizeOldPath keeps paths (no trailing slash). */
function patternPath(pattern: string): string {
  const path = /^https?:\/\//i.test(pattern) ? pattern.replace(/^https?:\/\/[^/]+/i, '') : pattern;
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/**
 * The slugs an old path may name: the {slug} of a path of ARTICLE_URL_PATTERN's shape
 * (/artikel/alter-slug), or a path of one segment (/alter-slug). The path is a normalized one.
 */
export function slugsInPath(pattern: string, path: string): string[] {
  const slugs = new Set<string>();
  const shape = patternPath(pattern.toLowerCase())
    .split(/(\{slug\}|\{locale\})/)
    .map(part =>
      part === '{slug}'
        ? '([^/?]+)'
        : part === '{locale}'
          ? '[^/?]+'
          : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  const match = new RegExp(`^${shape}$`).exec(path);
  if (match) slugs.add(match[1]);
  const single = /^\/([^/?]+)$/.exec(path);
  if (single) slugs.add(single[1]);
  return [...slugs].filter(slug => slug.length <= 200 && slugPattern.test(slug));
}

/** What one old address asks for: its normalized path, the post id it names, its slugs. */
export interface OldAddress {
  path: string | null;
  postId: string | null;
  slugs: string[];
}

/**
 * An old address as the redirect lookup takes it: a path or full URL (normalized as the import
 * stored it, its ?p= read as a WordPress post id too), or a WordPress post id. Null where the
 * text is no path of a page.
 */
export function oldAddress(
  pattern: string,
  input: { path: string | null; wordpressPostId: string | null },
): OldAddress | null {
  if (input.wordpressPostId !== null) {
    return /^\d{1,19}$/.test(input.wordpressPostId)
      ? { path: null, postId: input.wordpressPostId.replace(/^0+(?=\d)/, ''), slugs: [] }
      : null;
  }
  const path = normalizeOldPath(input.path ?? '');
  if (path === null) return null;
  const postId = /^\/\?p=(\d{1,19})$/.exec(path)?.[1] ?? null;
  return { path, postId, slugs: slugsInPath(pattern, path) };
}
