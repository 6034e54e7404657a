/** A published article as recordView needs it: its id and when it was published. */
export interface PublishedArticle {
  articleId: number;
  publishedAt: number;
}

// How long a published article is taken as still published without asking the database: an
// article unpublished elsewhere may have its views counted this much longer. Drafts, scheduled
// and unknown articles are never kept, so publishing takes effect at once.
const ttlMs = 30_000;
// Entries kept at most (about 100 bytes each): every article of a large site, a few MB.
const maxEntries = 50_000;

/**
 * Published articles by slug or id for recordView, so that counting a view of a published article
 * runs no SQL (README "Counting views"). Kept in this process only, for 30 seconds an entry.
 */
export class PublishedArticleCache {
  private readonly entries = new Map<string, PublishedArticle & { until: number }>();

  get(key: string, now: number): PublishedArticle | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.until <= now) {
      this.entries.delete(key);
      return null;
    }
    return entry;
  }

  set(key: string, article: PublishedArticle, now: number): void {
    // Delete and set: the map stays in insertion order, oldest first, for the cap.
    this.entries.delete(key);
    this.entries.set(key, { ...article, until: now + ttlMs });
    if (this.entries.size > maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
