import type { NotCountedReason, RequestFacts } from './viewGuard';
import type { ViewServices } from './viewServices';
import { SqlParams } from '../db/dialect';
import type { Sql } from '../db/SqlReader';
import { ArticleStatus } from '../entities/enums';
import { BadUserInputError } from '../errors/BadUserInputError';
import { NotFoundError } from '../errors/NotFoundError';
import { decodeGlobalId } from '../relay/globalId';

export interface RecordViewArgs {
  slug?: string | null;
  articleId?: string | null;
  visitorId?: string | null;
}

export interface RecordViewResult {
  counted: boolean;
  /** Why the view was not counted; null where it was. */
  reason: NotCountedReason | null;
  /** The internal id of the public article viewed; null where it is not public. */
  articleId: number | null;
}

/** What recordView needs of the request it serves, from /graphql or POST /views alike. */
export interface ViewRequest {
  /** The read statements of this request. */
  sql: Sql;
  /** The request's one "now". */
  now: Date;
  views: ViewServices;
  /** IP, user agent and purpose headers, for the guard only; never stored or logged. */
  request: RequestFacts;
}

// Client ids are opaque; anything longer than this is not an id but a payload.
const maxVisitorIdLength = 200;

/**
 * recordView: finds the article (any status, so that a draft is "not counted" rather than
 * unknown), then runs the guard in order (unpublished, bot, prefetch, per-visitor rate, dedupe)
 * and puts a counted view in the buffer. Nothing here writes to the database.
 */
export async function recordView(
  context: ViewRequest,
  args: RecordViewArgs,
): Promise<RecordViewResult> {
  const { sql: db, now, views, request } = context;
  if ((args.slug == null) === (args.articleId == null)) {
    throw new BadUserInputError(
      'recordView needs exactly one of input.slug or input.articleId, got ' +
        (args.slug == null ? 'neither.' : 'both.'),
    );
  }
  if (args.visitorId != null && args.visitorId.length > maxVisitorIdLength) {
    throw new BadUserInputError(
      `input.visitorId must be at most ${maxVisitorIdLength} characters, got ${args.visitorId.length}.`,
    );
  }
  const at = now.getTime();
  const done = (reason: NotCountedReason | null, publicId: number | null): RecordViewResult => {
    views.counter.recorded(reason ?? 'counted');
    return { counted: reason === null, reason, articleId: publicId };
  };
  const cache = views.counter.publishedArticles;
  const cacheKey = args.slug != null ? `s:${args.slug}` : `i:${args.articleId}`;
  let article = cache.get(cacheKey, at);
  if (!article) {
    try {
      const row = await findArticle(db, args);
      if (row.status !== ArticleStatus.PUBLISHED || row.published_at == null) {
        return done('unpublished', null);
      }
      article = { articleId: Number(row.internal_id), publishedAt: Number(row.published_at) };
      cache.set(cacheKey, article, at);
    } catch (error) {
      // The database is unavailable: an article known published within the hour is counted
      // still, and the flusher writes it once the database is back (README "Outages").
      article = cache.staleIfError(cacheKey, at, error);
    }
  }
  const { articleId } = article;
  // A scheduled article: kept as published, counted from its date on.
  if (article.publishedAt > at) return done('unpublished', null);
  const screened = views.counter.guard.screen(request);
  if (screened && !screened.counted) return done(screened.reason, articleId);
  const visitor = await views.counter.guard.visitorKey(args.visitorId, request, at);
  const decision = await views.counter.guard.admit(articleId, visitor, at);
  if (!decision.counted) return done(decision.reason, articleId);
  views.counter.add(articleId, at, decision.unique);
  return done(null, articleId);
}

/** The article a view is for, by slug or id, in any status; NOT_FOUND where there is none. */
async function findArticle(
  db: Sql,
  args: RecordViewArgs,
): Promise<{ internal_id: number; status: string; published_at: number | null }> {
  const params = new SqlParams(db.dialect);
  let condition: string;
  if (args.slug != null) {
    // A current slug, or an earlier one of an article that was renamed (article_slug).
    const slug = params.add(args.slug);
    condition = `(slug = ${slug} OR internal_id = (SELECT article_id FROM article_slug WHERE slug = ${slug}))`;
  } else {
    const decoded = decodeGlobalId(args.articleId as string);
    if (!decoded || decoded.type !== 'Article') {
      throw new NotFoundError(`No article with id ${JSON.stringify(args.articleId)}.`);
    }
    condition = `internal_id = ${params.add(decoded.internalId)}`;
  }
  const rows: { internal_id: number; status: string; published_at: number | null }[] =
    await db.query(
      `SELECT internal_id, status, published_at FROM article WHERE ${condition}`,
      params.values,
    );
  if (!rows[0]) {
    throw new NotFoundError(
      args.slug != null
        ? `No article with slug ${JSON.stringify(args.slug)}.`
        : `No article with id ${JSON.stringify(args.articleId)}.`,
    );
  }
  return rows[0];
}
