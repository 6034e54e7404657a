import { SqlParams } from '../../db/dialect';
import { publicArticleCondition } from '../../db/reads/articleRows';
import { date, type Row, text } from '../../db/reads/rowValues';
import type { Sql } from '../../db/SqlReader';
import { type ArticleListFilter, filterConditions } from '../articleListing';

/** What a feed says of one article. */
export interface FeedArticle {
  internalId: number;
  slug: string;
  title: string;
  locale: string;
  publishedAt: Date;
  updatedAt: Date;
  /** The custom excerpt, else the automatic one (plain text). */
  excerpt: string;
  bodyHtml: string;
  tags: { slug: string; name: string }[];
  authors: { slug: string; name: string }[];
}

/** A tag or author a feed is about. */
export interface FeedSubject {
  internalId: number;
  slug: string;
  name: string;
}

const feedColumns =
  'a.internal_id, a.slug, a.title, a.locale, a.published_at, a.updated_at, a.custom_excerpt, a.auto_excerpt, a.body_html';

function feedArticleFromRow(row: Row): FeedArticle {
  return {
    internalId: Number(row.internal_id),
    slug: String(row.slug),
    title: String(row.title),
    locale: String(row.locale),
    publishedAt: date(row.published_at) as Date,
    updatedAt: date(row.updated_at) as Date,
    excerpt: text(row.custom_excerpt) ?? String(row.auto_excerpt),
    bodyHtml: String(row.body_html),
    tags: [],
    authors: [],
  };
}

/**
 * The newest public articles matching a listing filter (tag, author, language), with their tags
 * and authors: three statements whatever the number of items.
 */
export async function newestFeedArticles(
  sql: Sql,
  filter: ArticleListFilter,
  limit: number,
  now: Date,
): Promise<FeedArticle[]> {
  const params = new SqlParams(sql.dialect);
  const where = [publicArticleCondition(params, now), ...filterConditions(params, filter)];
  const rows = await sql.query(
    `SELECT ${feedColumns} FROM article a WHERE ${where.join(' AND ')} ORDER BY a.published_at DESC, a.internal_id DESC LIMIT ${params.add(limit)}`,
    params.values,
  );
  return withNames(sql, rows.map(feedArticleFromRow));
}

/**
 * The public articles of `ids` in the order of `ids` (a ranking's), those no longer public left
 * out, with their tags and authors: three statements.
 */
export async function feedArticlesByIds(
  sql: Sql,
  ids: readonly number[],
  now: Date,
): Promise<FeedArticle[]> {
  if (ids.length === 0) return [];
  const params = new SqlParams(sql.dialect);
  const rows = await sql.query(
    `SELECT ${feedColumns} FROM article a WHERE a.internal_id IN ${params.list(ids)} AND ${publicArticleCondition(params, now)}`,
    params.values,
  );
  const byId = new Map(rows.map(row => [Number(row.internal_id), feedArticleFromRow(row)]));
  const ordered = ids.flatMap(id => byId.get(id) ?? []);
  return withNames(sql, ordered);
}

/** The tag with this slug, or null. */
export async function feedTag(sql: Sql, slug: string): Promise<FeedSubject | null> {
  return subject(sql, 'tag', slug);
}

/** The author with this slug, or null. */
export async function feedAuthor(sql: Sql, slug: string): Promise<FeedSubject | null> {
  return subject(sql, 'author', slug);
}

async function subject(sql: Sql, table: 'tag' | 'author', slug: string) {
  const params = new SqlParams(sql.dialect);
  const [row] = await sql.query(
    `SELECT internal_id, slug, name FROM ${table} WHERE slug = ${params.add(slug)}`,
    params.values,
  );
  return row
    ? { internalId: Number(row.internal_id), slug: String(row.slug), name: String(row.name) }
    : null;
}

/** Fills in tags and authors, in their order: one statement each for every article at once. */
async function withNames(sql: Sql, articles: FeedArticle[]): Promise<FeedArticle[]> {
  if (articles.length === 0) return articles;
  const byId = new Map(articles.map(article => [article.internalId, article]));
  const ids = [...byId.keys()];
  const names = async (
    link: string,
    table: string,
    key: string,
    add: (article: FeedArticle, name: { slug: string; name: string }) => void,
  ) => {
    const params = new SqlParams(sql.dialect);
    const rows = await sql.query(
      `SELECT l.article_id, n.slug, n.name FROM ${link} l JOIN ${table} n ON n.internal_id = l.${key} WHERE l.article_id IN ${params.list(ids)} ORDER BY l.article_id, l.position`,
      params.values,
    );
    for (const row of rows) {
      const article = byId.get(Number(row.article_id));
      if (article) add(article, { slug: String(row.slug), name: String(row.name) });
    }
  };
  await names('article_tag', 'tag', 'tag_id', (article, tag) => article.tags.push(tag));
  await names('article_author', 'author', 'author_id', (article, author) =>
    article.authors.push(author),
  );
  return articles;
}
