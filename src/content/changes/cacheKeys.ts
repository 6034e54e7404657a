/**
 * The cache keys of public answers (Cache-Tag / Surrogate-Key headers, the gateway's response
 * cache, CDN purges) and of change events: one scheme, so that what an answer carries is what a
 * change purges. Ids are the internal numeric ids (short headers); slugs are kept for answers
 * that found nothing (a `null` for a slug not yet published must be purged when it appears).
 */
export const cacheKeys = {
  /** One article: its page, its card in any list, its view count. */
  article: (id: number) => `a${id}`,
  /** A slug that was asked for (found or not): purged when an article takes or leaves it. */
  slug: (slug: string) => `s:${slug}`,
  /** Every list of articles that is not a tag's or an author's (listing, search, related). */
  articleLists: 'articles',
  /** A tag, its article list and counts. */
  tag: (id: number) => `t${id}`,
  /** An author, their article list and counts. */
  author: (id: number) => `u${id}`,
  /** The most-read rankings (mostRead, viewCount snapshots). */
  rankings: 'mostread',
  /** The list of every tag (Query.tags): a tag created, renamed or deleted changes it. */
  tagLists: 'tags',
  /** The list of every author (Query.authors). */
  authorLists: 'authors',
  /** Feeds and sitemaps. */
  feeds: 'feeds',
  /** Everything public: the coarse fallback when an answer's keys exceed the header cap. */
  all: 'content',
} as const;
