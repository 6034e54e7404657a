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

/** The gateway's cursor of a listed article (src/relay cursors: order, publishedAt, id). */
function gatewayCursor(node: Row): string {
  return Buffer.from(
    JSON.stringify(['PUBLISHED_AT_DESC', Number(node.publishedAt), Number(node.internalId)]),
  ).toString('base64url');
}

/** PostGraphile's keyset cursor of allArticles ordered [PUBLISHED_AT_DESC, INTERNAL_ID_DESC]. */
export function peerListingCursor(publishedAt: number, id: number): string {
  return Buffer.from(
    JSON.stringify(['published_at_desc', 'internal_id_desc', [publishedAt, id]]),
  ).toString('base64');
}

/** A page of a connection: the gateway's edges and pageInfo, its cursors made from the nodes. */
function connection(page: Row, node: (row: Row) => Row) {
  const edges = (page.edges as { node: Row }[]).map(edge => ({
    cursor: gatewayCursor(edge.node),
    node: node(edge.node),
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: (page.pageInfo as Row).hasNextPage,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

const author = (row: Row | null) => (row ? { id: row.gid, slug: row.slug, name: row.name } : null);

/**
 * The tag page (the gateway's TagPage): tag, count and its first 20 public articles. The
 * tag's articles are a set-returning function, so PostGraphile pages them by row number.
 */
export const peerTagPageQuery = `query TagPage($slug: String!) {
  tagBySlug(slug: $slug) {
    gid slug name description publicArticleCount
    publicArticles(first: 20) {
      edges { node { internalId publishedAt ${cardFields} primaryAuthor { gid slug name } } }
      pageInfo { hasNextPage }
    }
  }
}`;

export function peerTagPage(data: Row): Row {
  const t = data.tagBySlug as Row | null;
  if (!t) return { tag: null };
  return {
    tag: {
      id: t.gid,
      slug: t.slug,
      name: t.name,
      description: t.description,
      articleCount: t.publicArticleCount,
      articles: connection(t.publicArticles as Row, row => ({
        ...card(row),
        primaryAuthor: author(row.primaryAuthor as Row | null),
      })),
    },
  };
}

/**
 * The listing page (the gateway's ListingPage): 20 public articles after a cursor, newest first,
 * with PostGraphile's keyset cursor on allArticles and the connection filter plugin for the
 * public rule. PostGraphile has no clock of its own in a query, so the client sends now.
 */
export function peerListingPageQuery(views: boolean): string {
  return `query ListingPage($after: Cursor, $now: BigInt!) {
  articles(first: 20, after: $after, orderBy: [PUBLISHED_AT_DESC, INTERNAL_ID_DESC],
           filter: { status: { equalTo: "PUBLISHED" }, publishedAt: { lessThanOrEqualTo: $now } }) {
    edges { node { internalId publishedAt ${cardFields} primaryAuthor { gid slug name }
                   orderedTagsList { slug name }${views ? ' viewCount' : ''} } }
    pageInfo { hasNextPage }
  }
}`;
}

export function peerListingPage(data: Row): Row {
  return {
    articles: connection(data.articles as Row, row => ({
      ...card(row),
      primaryAuthor: author(row.primaryAuthor as Row | null),
      tags: row.orderedTagsList,
      ...(row.viewCount !== undefined ? { viewCount: Number(row.viewCount) } : {}),
    })),
  };
}
