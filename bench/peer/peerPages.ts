/**
 * The bench's pages as PostGraphile 4 asks them (bench/peer/peerServer.cjs, with the computed
 * columns of bench/peer/peerFunctions.sql), and its answers mapped to the gateway's field names
 * and shapes, so the bench compares the two field by field. Only names and shapes are mapped
 * here; every value (ids, excerpts, reading time, absolute URLs, related order) comes from
 * PostgreSQL as the peer computes it.
 */

type Row = Record<string, unknown>;

/** PostGraphile's Datetime ("2026-05-01T08:00:00+00:00") as the gateway's DateTime ("...000Z"). */
const iso = (value: unknown) => (value == null ? null : new Date(String(value)).toISOString());

const cardFields = 'gid slug title excerpt published readingTime mainImage';

function card(row: Row) {
  return {
    id: row.gid,
    slug: row.slug,
    title: row.title,
    excerpt: row.excerpt,
    publishedAt: iso(row.published),
    readingTime: row.readingTime,
    mainImage: row.mainImage,
  };
}

/** The article page without the sidebar (the gateway's ArticlePage without mostRead). */
export const peerArticlePageQuery = `query ArticlePage($slug: String!) {
  publicArticle(slug: $slug) {
    gid slug title excerpt locale published updated bodyHtml headings readingTime mainImage
    orderedAuthorsList { gid slug name avatar }
    orderedTagsList { gid slug name }
    relatedList { gid slug title excerpt published mainImage }
  }
}`;

export function peerArticlePage(data: Row): Row {
  const a = data.publicArticle as Row | null;
  if (!a) return { article: null };
  const image = (value: unknown) => {
    const main = value as Row | null;
    return main ? { url: main.url, alt: main.alt } : null;
  };
  return {
    article: {
      id: a.gid,
      slug: a.slug,
      title: a.title,
      excerpt: a.excerpt,
      locale: a.locale,
      publishedAt: iso(a.published),
      updatedAt: iso(a.updated),
      body: a.bodyHtml,
      headings: a.headings,
      readingTime: a.readingTime,
      mainImage: a.mainImage,
      authors: (a.orderedAuthorsList as Row[]).map(x => ({
        id: x.gid,
        slug: x.slug,
        name: x.name,
        avatar: x.avatar,
      })),
      tags: (a.orderedTagsList as Row[]).map(x => ({ id: x.gid, slug: x.slug, name: x.name })),
      related: (a.relatedList as Row[]).map(x => ({
        id: x.gid,
        slug: x.slug,
        title: x.title,
        excerpt: x.excerpt,
        publishedAt: iso(x.published),
        mainImage: image(x.mainImage),
      })),
    },
  };
}

export { card as peerCard, cardFields as peerCardFields };
