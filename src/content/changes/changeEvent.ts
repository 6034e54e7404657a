/**
 * A content change as consumers see it: one shape (version 1) for the outbox, webhooks, the
 * `changes` query and cache invalidation. Written in the same transaction as the change it
 * describes (the outbox), numbered in commit order by `id`.
 */
export type ChangeEventType =
  | 'article.published'
  | 'article.updated'
  | 'article.unpublished'
  | 'article.deleted'
  | 'tag.created'
  | 'tag.updated'
  | 'tag.deleted'
  | 'author.created'
  | 'author.updated'
  | 'author.deleted';

export interface ChangeEventArticle {
  /** The global id (Article:<n>, as Node.id). */
  id: string;
  slug: string;
  /** The slug before this change, where it changed. */
  previousSlug: string | null;
  locale: string;
  translationKey: string | null;
  /** Global ids of the other languages' versions. */
  translations: string[];
  /** Global ids, in order (the first is the primary). */
  tags: string[];
  authors: string[];
  status: string;
  publishedAt: string | null;
  updatedAt: string;
}

export interface ChangeEventName {
  id: string;
  slug: string;
  previousSlug: string | null;
  name: string;
}

export interface ChangeEvent {
  /** Commit order: strictly increasing, never reused. */
  id: number;
  version: 1;
  type: ChangeEventType;
  /** When the change committed (ISO 8601, UTC). */
  occurredAt: string;
  /** What changed: an article, or a tag or author. */
  article?: ChangeEventArticle;
  tag?: ChangeEventName;
  author?: ChangeEventName;
  /** The cache keys this change invalidates (src/content/changes/cacheKeys.ts). */
  keys: string[];
}

/** Told of committed changes, in commit order; called after the change is visible to reads. */
export type ChangeListener = (events: readonly ChangeEvent[]) => Promise<void> | void;
