import { ServiceUnavailableError } from '../errors/ServiceUnavailableError';

/** A published article as recordView needs it: its id and when it was published. */
export interface PublishedArticle {
  articleId: number;
  publishedAt: number;
}

// How long a published article is taken as still published without asking the database: an
// article unpublished elsewhere may have its views counted this much longer. Drafts, scheduled
// and unknown articles are never kept, so publishing takes effect at once.
const ttlMs = 30_000;
// How long past that an entry still answers while the database cannot be reached (stale-if-error,
// as RFC 5861 has it for HTTP caches): views of articles read in the last hour are still counted
// during an outage of up to an hour, and buffered until the flusher can write them.
export const staleIfErrorMs = 3_600_000;
// Entries kept at most (about 100 bytes each): every article of a large site, a few MB.
const maxEntries = 50_000;

/**
 * Published articles by slug or id for recordView, so that counting a view of a published article
 * runs no SQL (README "Counting views"). Kept in this process only, for 30 seconds an entry, and
 * for an hour more while the database is unavailable.
 */
export class PublishedArticleCache {
  private readonly entries = new Map<string, PublishedArticle & { until: number }>();

  /** The entry for a key if it is fresh; null where it is unknown or older than 30 s. */
  get(key: string, now: number): PublishedArticle | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.until <= now) {
      // Kept for staleIfError until an hour past its time; the cap bounds what is kept.
      if (entry.until + staleIfErrorMs <= now) this.entries.delete(key);
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

  /**
   * Forgets every entry of an article (by any slug or id it was asked for): an editorial write
   * calls it once committed, so this process counts views by what was written, not for 30 s more.
   */
  forgetArticle(articleId: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.articleId === articleId) this.entries.delete(key);
    }
  }

  /**
   * The last known entry for a key when looking it up failed with `error`: returned where the
   * error is an outage (SERVICE_UNAVAILABLE) and the entry expired less than an hour ago, so the
   * view is counted; otherwise `error` is thrown. A stale entry is not renewed: after the hour,
   * or once the database answers again, the article is looked up anew.
   */
  staleIfError(key: string, now: number, error: unknown): PublishedArticle {
    const entry = this.entries.get(key);
    if (
      !(error instanceof ServiceUnavailableError) ||
      !entry ||
      entry.until + staleIfErrorMs <= now
    ) {
      throw error;
    }
    return entry;
  }
}
