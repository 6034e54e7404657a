import type { ArticleValues } from '../../editorial/articleColumns';

/** The systems a site moves in from. */
export type SourceSystem = 'wordpress' | 'ghost';

/** An author as the source names it; written as the gateway's author of that slug. */
export interface SourceAuthor {
  slug: string;
  name: string;
  bio: string | null;
  avatarUrl: string | null;
}

/** A tag (a WordPress category or tag, a Ghost tag) as the source names it. */
export interface SourceTag {
  slug: string;
  name: string;
  description: string | null;
}

/**
 * One post of another system, read by its parser (WordPress WXR, Ghost JSON) and ready to write:
 * the article's values as the editorial write path takes them (the body already Markdown), its
 * ordered authors and tags (the primary first), and where it lived before. The parsers know the
 * source's format; importSourcePosts knows the gateway's tables; this is all they share.
 */
export interface SourcePost {
  source: SourceSystem;
  /** The source site's host ("example.org"): with sourceId, the key a re-import finds it by. */
  site: string;
  /** The source's own id of the post (the WordPress post id, the Ghost post id). */
  sourceId: string;
  /** Where the post starts in the export (1-based line), for the report; null where unknown. */
  line: number | null;
  /** The post's public URL on the old site (its permalink), or null for one never published. */
  url: string | null;
  /** Other paths or URLs the post answered at (WordPress' /?p=123); the url's path is added. */
  oldPaths: string[];
  values: ArticleValues;
  /** The source's last modification, for updatedAt; null: the publication date, else now. */
  updatedAt: Date | null;
  authors: SourceAuthor[];
  tags: SourceTag[];
  /** What the parser noticed and kept as it was (an unknown shortcode, members-only content). */
  warnings: string[];
}

/** An item of the export that is not imported as an article, and why (a page, a menu item). */
export interface SkippedItem {
  /** What the item is in its source ("page", "attachment", "nav_menu_item", "comment"). */
  kind: string;
  sourceId: string | null;
  line: number | null;
  reason: string;
  /** How many source items this entry stands for (the comments of one post); 1 where absent. */
  count?: number;
}
