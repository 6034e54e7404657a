import type { BaselineSql } from './baselineSql';
import { readingTime } from '../../src/content/readingTime';

/**
 * The scenarios answered by hand: the SQL a developer would write for each page, rows mapped to
 * the gateway's JSON shape, no GraphQL. Values that the gateway derives (ids, cursors, excerpt,
 * reading time, absolute image URLs) are derived the same way, so the two answers are equal.
 */
type Row = Record<string, unknown>;
type Variables = Record<string, unknown>;

export interface BaselineContext {
  sql: BaselineSql;
  now: number;
  baseUrl: string;
  /** Where hourly counts are: article_view_hour, and article_view_recent where the schema has it. */
  hourly: string;
}

/** The FROM item of hourly counts (article_id, bucket_start, views) for a schema. */
export function hourlyTable(recentViews: boolean): string {
  return recentViews
    ? `(SELECT article_id, bucket_start, views FROM article_view_hour
        UNION ALL SELECT article_id, bucket_start, views FROM article_view_recent)`
    : 'article_view_hour';
}

// The gateway's defaults (src/config.ts READING_WORDS_PER_MINUTE, READING_SECONDS_PER_IMAGE).
const readingSettings = { wordsPerMinute: { de: 179, en: 228 }, secondsPerImage: 12 };

const cardColumns =
  'a.internal_id, a.slug, a.title, a.locale, a.published_at, a.updated_at, a.word_count, a.image_count, a.custom_excerpt, a.auto_excerpt, a.image_url, a.image_alt, a.image_width, a.image_height';
const publicCondition = "a.status = 'PUBLISHED' AND a.published_at <= ?";

const globalId = (type: string, id: unknown) => Buffer.from(`${type}:${id}`).toString('base64');
const iso = (ms: unknown) => (ms == null ? null : new Date(Number(ms)).toISOString());
const absolute = (url: string, base: string) => (url.startsWith('/') ? `${base}${url}` : url);
const cursorOf = (row: Row) =>
  Buffer.from(
    JSON.stringify(['PUBLISHED_AT_DESC', Number(row.published_at), Number(row.internal_id)]),
  ).toString('base64url');
const placeholders = (n: number) => `(${Array.from({ length: n }, () => '?').join(', ')})`;

function card(row: Row, baseUrl: string) {
  const time = readingTime(
    Number(row.word_count),
    Number(row.image_count),
    String(row.locale),
    readingSettings,
  );
  return {
    id: globalId('Article', row.internal_id),
    slug: row.slug,
    title: row.title,
    excerpt: row.custom_excerpt ?? row.auto_excerpt,
    publishedAt: iso(row.published_at),
    readingTime: { minutes: time.minutes, label: time.label },
    mainImage: row.image_url
      ? {
          url: absolute(String(row.image_url), baseUrl),
          alt: row.image_alt,
          width: row.image_width,
          height: row.image_height,
        }
      : null,
  };
}

async function groupByArticle(
  ctx: BaselineContext,
  table: 'author' | 'tag',
  ids: number[],
): Promise<Map<number, Row[]>> {
  const link = table === 'author' ? 'article_author' : 'article_tag';
  const column = table === 'author' ? 'author_id' : 'tag_id';
  const extra = table === 'author' ? ', x.avatar_url' : '';
  const rows = await ctx.sql.all(
    `SELECT l.article_id, x.internal_id, x.slug, x.name${extra} FROM ${link} l JOIN ${table} x ON x.internal_id = l.${column} WHERE l.article_id IN ${placeholders(ids.length)} ORDER BY l.article_id, l.position`,
    ids,
  );
  const groups = new Map<number, Row[]>(ids.map(id => [id, []]));
  for (const row of rows) groups.get(Number(row.article_id))?.push(row);
  return groups;
}

async function viewCounts(ctx: BaselineContext, ids: number[]): Promise<Map<number, number>> {
  const rows = await ctx.sql.all(
    `SELECT article_id, views FROM article_view_total WHERE article_id IN ${placeholders(ids.length)}`,
    ids,
  );
  return new Map(rows.map(row => [Number(row.article_id), Number(row.views)]));
}

export interface BaselineFeatures {
  views: boolean;
}

/** The primary language of a locale column ('de-AT' -> 'de'): related lists stay in it. */
function language(ctx: BaselineContext, column: string): string {
  return ctx.sql.dialect === 'postgres'
    ? `lower(split_part(${column}, '-', 1))`
    : `lower(substr(${column}, 1, instr(${column} || '-', '-') - 1))`;
}

export async function articlePage(
  ctx: BaselineContext,
  vars: Variables,
  features: BaselineFeatures,
) {
  const [row] = await ctx.sql.all(
    `SELECT ${cardColumns}, a.body_html, a.headings_json FROM article a WHERE a.slug = ? AND ${publicCondition}`,
    [vars.slug, ctx.now],
  );
  const data: Record<string, unknown> = { article: null };
  if (row) {
    const id = Number(row.internal_id);
    const authors = (await groupByArticle(ctx, 'author', [id])).get(id) ?? [];
    const tags = (await groupByArticle(ctx, 'tag', [id])).get(id) ?? [];
    const related = await ctx.sql.all(
      `SELECT ${cardColumns} FROM (
         SELECT o.article_id AS related_id, COUNT(*) AS shared, MAX(p.published_at) AS newest
         FROM article_tag s
         JOIN article src ON src.internal_id = s.article_id
         JOIN article_tag o ON o.tag_id = s.tag_id AND o.article_id <> s.article_id
         JOIN article p ON p.internal_id = o.article_id
         WHERE s.article_id = ? AND p.status = 'PUBLISHED' AND p.published_at <= ?
           AND ${language(ctx, 'p.locale')} = ${language(ctx, 'src.locale')}
           AND (p.translation_key IS NULL OR src.translation_key IS NULL
             OR p.translation_key <> src.translation_key)
         GROUP BY o.article_id
         ORDER BY shared DESC, newest DESC, o.article_id DESC
         LIMIT 3
       ) r JOIN article a ON a.internal_id = r.related_id
       ORDER BY r.shared DESC, r.newest DESC, r.related_id DESC`,
      [id, ctx.now],
    );
    const c = card(row, ctx.baseUrl);
    const time = c.readingTime;
    data.article = {
      id: c.id,
      slug: row.slug,
      title: row.title,
      excerpt: c.excerpt,
      locale: row.locale,
      publishedAt: c.publishedAt,
      updatedAt: iso(row.updated_at),
      body: row.body_html,
      headings: JSON.parse(String(row.headings_json)),
      readingTime: time,
      mainImage: c.mainImage,
      authors: authors.map(author => ({
        id: globalId('Author', author.internal_id),
        slug: author.slug,
        name: author.name,
        avatar: author.avatar_url
          ? { url: absolute(String(author.avatar_url), ctx.baseUrl) }
          : null,
      })),
      tags: tags.map(tag => ({
        id: globalId('Tag', tag.internal_id),
        slug: tag.slug,
        name: tag.name,
      })),
      related: related.map(other => {
        const o = card(other, ctx.baseUrl);
        return {
          id: o.id,
          slug: o.slug,
          title: o.title,
          excerpt: o.excerpt,
          publishedAt: o.publishedAt,
          mainImage: o.mainImage ? { url: o.mainImage.url, alt: o.mainImage.alt } : null,
        };
      }),
    };
  }
  if (features.views) {
    const ranking = await mostReadRows(ctx, 3);
    data.mostRead = {
      edges: ranking.map((r, i) => ({
        rank: i + 1,
        node: { id: globalId('Article', r.internal_id), slug: r.slug, title: r.title },
      })),
    };
  }
  return data;
}

function decodeAfter(after: unknown): [number, number] | null {
  if (typeof after !== 'string') return null;
  const [, published, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  return [Number(published), Number(id)];
}

export async function listingPage(
  ctx: BaselineContext,
  vars: Variables,
  features: BaselineFeatures,
) {
  const after = decodeAfter(vars.after);
  // One upper bound on published_at (the smaller of now and the cursor's) lets the index range
  // start at the cursor; an OR of two bounds makes SQLite scan from the newest row instead.
  const params: unknown[] = [after ? Math.min(ctx.now, after[0]) : ctx.now];
  let keyset = '';
  if (after) {
    keyset = ' AND (a.published_at < ? OR a.internal_id < ?)';
    params.push(after[0], after[1]);
  }
  const rows = await ctx.sql.all(
    `SELECT ${cardColumns} FROM article a WHERE ${publicCondition}${keyset} ORDER BY a.published_at DESC, a.internal_id DESC LIMIT 21`,
    params,
  );
  const page = rows.slice(0, 20);
  const ids = page.map(row => Number(row.internal_id));
  const authors = ids.length ? await groupByArticle(ctx, 'author', ids) : new Map();
  const tags = ids.length ? await groupByArticle(ctx, 'tag', ids) : new Map();
  const views = features.views && ids.length ? await viewCounts(ctx, ids) : null;
  const edges = page.map(row => {
    const id = Number(row.internal_id);
    const primary = (authors.get(id) ?? [])[0];
    const node: Record<string, unknown> = {
      ...card(row, ctx.baseUrl),
      primaryAuthor: primary
        ? { id: globalId('Author', primary.internal_id), slug: primary.slug, name: primary.name }
        : null,
      tags: (tags.get(id) ?? []).map((tag: Row) => ({ slug: tag.slug, name: tag.name })),
    };
    if (views) node.viewCount = views.get(id) ?? 0;
    return { cursor: cursorOf(row), node };
  });
  return {
    articles: {
      edges,
      pageInfo: { hasNextPage: rows.length > 20, endCursor: edges.at(-1)?.cursor ?? null },
    },
  };
}

export async function tagPage(ctx: BaselineContext, vars: Variables) {
  const [tag] = await ctx.sql.all(
    'SELECT internal_id, slug, name, description FROM tag WHERE slug = ?',
    [vars.slug],
  );
  if (!tag) return { tag: null };
  const [count] = await ctx.sql.all(
    `SELECT COUNT(*) AS total FROM article_tag l JOIN article a ON a.internal_id = l.article_id WHERE l.tag_id = ? AND ${publicCondition}`,
    [tag.internal_id, ctx.now],
  );
  const rows = await ctx.sql.all(
    `SELECT ${cardColumns} FROM article_tag l JOIN article a ON a.internal_id = l.article_id WHERE l.tag_id = ? AND ${publicCondition} ORDER BY a.published_at DESC, a.internal_id DESC LIMIT 21`,
    [tag.internal_id, ctx.now],
  );
  const page = rows.slice(0, 20);
  const ids = page.map(row => Number(row.internal_id));
  const authors = ids.length ? await groupByArticle(ctx, 'author', ids) : new Map();
  const edges = page.map(row => {
    const primary = (authors.get(Number(row.internal_id)) ?? [])[0];
    return {
      cursor: cursorOf(row),
      node: {
        ...card(row, ctx.baseUrl),
        primaryAuthor: primary
          ? { id: globalId('Author', primary.internal_id), slug: primary.slug, name: primary.name }
          : null,
      },
    };
  });
  return {
    tag: {
      id: globalId('Tag', tag.internal_id),
      slug: tag.slug,
      name: tag.name,
      description: tag.description,
      articleCount: Number(count.total),
      articles: {
        edges,
        pageInfo: { hasNextPage: rows.length > 20, endCursor: edges.at(-1)?.cursor ?? null },
      },
    },
  };
}

/**
 * The 7-day ranking straight from the rollups: hourly and daily buckets that start in the last 7
 * days, summed per public article, most views first, ties by id (as the gateway ranks).
 */
async function mostReadRows(ctx: BaselineContext, first: number): Promise<Row[]> {
  const from = ctx.now - 7 * 86_400_000;
  return ctx.sql.all(
    `SELECT a.internal_id, a.slug, a.title, v.views FROM (
       SELECT article_id, SUM(views) AS views FROM (
         SELECT article_id, views FROM ${ctx.hourly} h WHERE bucket_start > ?
         UNION ALL
         SELECT article_id, views FROM article_view_day WHERE bucket_start > ?
       ) r GROUP BY article_id
     ) v JOIN article a ON a.internal_id = v.article_id
     WHERE v.views > 0 AND ${publicCondition}
     ORDER BY v.views DESC, a.internal_id ASC LIMIT ?`,
    [from, from, ctx.now, first],
  );
}

export async function mostRead(ctx: BaselineContext) {
  const rows = await mostReadRows(ctx, 10);
  return {
    mostRead: {
      edges: rows.map((row, i) => ({
        rank: i + 1,
        views: Number(row.views),
        node: { id: globalId('Article', row.internal_id), slug: row.slug, title: row.title },
      })),
    },
  };
}
