import type { SourcePost } from '../../src/content/import/source/sourcePost';
import { ArticleStatus } from '../../src/entities/enums';

/**
 * A WordPress post as the WXR parser hands it over (complete, published on 2025-02-01), with
 * permalink /2025/02/post-<id>/ and /?p=<id>; `change` overrides its values.
 */
export function wordpressPost(
  sourceId: string,
  change: Partial<SourcePost['values']> = {},
  site = 'old.example.org',
): SourcePost {
  return {
    source: 'wordpress',
    site,
    sourceId,
    line: Number(sourceId),
    url: `https://${site}/2025/02/post-${sourceId}/`,
    oldPaths: [`/?p=${sourceId}`],
    values: {
      title: `Post ${sourceId}`,
      slug: `post-${sourceId}`,
      locale: 'en',
      status: ArticleStatus.PUBLISHED,
      featured: false,
      publishedAt: new Date('2025-02-01T08:00:00Z'),
      body: `The body of post ${sourceId}.`,
      excerpt: null,
      imageUrl: null,
      imageAlt: null,
      imageCaption: null,
      imageWidth: null,
      imageHeight: null,
      seoTitle: null,
      seoDescription: null,
      canonicalUrl: null,
      translationKey: null,
      ...change,
    },
    updatedAt: new Date('2025-02-02T08:00:00Z'),
    authors: [{ slug: 'wp-admin', name: 'Admin', bio: null, avatarUrl: null }],
    tags: [{ slug: 'news', name: 'News', description: null }],
    warnings: [],
  };
}
