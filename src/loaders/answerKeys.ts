import { cacheKeys } from '../content/changes/cacheKeys';

/**
 * The cache keys of what one answer contains (src/content/changes/cacheKeys.ts), collected while
 * the request runs: loaders add the key of each row they produce, list resolvers the key of the
 * list they read. Cache-Tag / Surrogate-Key headers and the response cache read them after the
 * answer is complete; a change event's keys say which answers it invalidates.
 */
export class AnswerKeys {
  readonly keys = new Set<string>();

  add(key: string): void {
    this.keys.add(key);
  }

  /** An article row: its page, its card, anything derived from it. Returns the row. */
  article<T extends { internalId: number } | null>(article: T): T {
    if (article) this.keys.add(cacheKeys.article(article.internalId));
    return article;
  }

  /** A tag row, or a tag's article list or count. */
  tag<T extends { internalId: number } | null>(tag: T): T {
    if (tag) this.keys.add(cacheKeys.tag(tag.internalId));
    return tag;
  }

  /** An author row, or an author's article list or count. */
  author<T extends { internalId: number } | null>(author: T): T {
    if (author) this.keys.add(cacheKeys.author(author.internalId));
    return author;
  }

  /** A slug asked for, found or not: an article that takes or leaves it purges the answer. */
  slug(slug: string): void {
    this.keys.add(cacheKeys.slug(slug));
  }

  /** A list of articles that is not a tag's or an author's (listing, search). */
  articleList(): void {
    this.keys.add(cacheKeys.articleLists);
  }

  /** A most-read ranking or a view count. */
  rankings(): void {
    this.keys.add(cacheKeys.rankings);
  }
}
