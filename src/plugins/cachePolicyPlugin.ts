import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import {
  type FieldGroup,
  type OperationField,
  fieldsAtLevel,
  foldFields,
  walkOperation,
} from './operationFields';
import { ViewWindow } from '../entities/enums';
import { liveCacheMs } from '../views/liveReaders';
import { periodMovesAt } from '../views/rankingPeriods';
import { calendarOf } from '../views/siteCalendar';
import { startOfHour } from '../views/timeBuckets';

/** A closed period (YESTERDAY, LAST_WEEK, LAST_MONTH, a custom range in the past) is kept a day. */
export const closedPeriodMaxAge = 86_400;

/**
 * How long a ranking over each window may be cached: a 24-hour ranking moves within a
 * minute on a busy site, a 30-day or all-time one hardly within a quarter of an hour; a period
 * that is over no longer moves. Calendar windows are capped where their period moves on
 * (windowMaxAge).
 */
export const maxAgeByWindow: Readonly<Record<ViewWindow, number>> = {
  [ViewWindow.LAST_24_HOURS]: 60,
  [ViewWindow.LAST_7_DAYS]: 300,
  [ViewWindow.LAST_30_DAYS]: 900,
  [ViewWindow.ALL_TIME]: 900,
  [ViewWindow.TODAY]: 60,
  [ViewWindow.YESTERDAY]: closedPeriodMaxAge,
  [ViewWindow.THIS_WEEK]: 300,
  [ViewWindow.LAST_WEEK]: closedPeriodMaxAge,
  [ViewWindow.THIS_MONTH]: 900,
  [ViewWindow.LAST_MONTH]: closedPeriodMaxAge,
  // A range that includes the current hour; one that has ended is a closed period.
  [ViewWindow.CUSTOM]: 60,
};

/** The instant and the site's zone a policy is computed for (the request's now, SITE_TIME_ZONE). */
export interface PolicyClock {
  now: number;
  timeZone: string;
}

/**
 * The max-age of a ranking or view count over `window` (CUSTOM where a range is given) at
 * `clock.now`: maxAgeByWindow, a custom range that ended before the current hour a day, and no
 * calendar window's answer past the midnight, Monday or 1st where its period moves on.
 */
export function windowMaxAge(
  window: ViewWindow,
  range: { to?: unknown } | null | undefined,
  clock: PolicyClock,
): number {
  if (range) {
    const to = range.to instanceof Date ? range.to.getTime() : NaN;
    return to <= startOfHour(clock.now) ? closedPeriodMaxAge : maxAgeByWindow[ViewWindow.CUSTOM];
  }
  const base = maxAgeByWindow[window];
  const movesAt = periodMovesAt(window, clock.now, calendarOf(clock.timeZone));
  if (base === undefined || movesAt === null) return base;
  return Math.min(base, Math.max(0, Math.floor((movesAt - clock.now) / 1000)));
}

/**
 * Fields whose answer depends on who asks, or that must be read fresh (a changes page grows as
 * changes commit): never in a shared cache.
 */
const privateFields = new Set(['Query.viewStats', 'Query.changes', 'Query.changesCursor']);

/** Fields that read view counts: cached by their window (default in the value), not the content max-age. */
const windowedFields: Readonly<Record<string, ViewWindow>> = {
  'Query.mostRead': ViewWindow.LAST_7_DAYS,
  'Article.viewCount': ViewWindow.ALL_TIME,
};

/** Readers now: counted every 10 s, so cached no longer than that, whatever they sit in. */
const liveFields: Readonly<Record<string, number>> = {
  'Query.liveArticles': liveCacheMs / 1000,
  'Article.readersNow': liveCacheMs / 1000,
};

// Checked first: most fields are none of these, and a name is quicker to look up than a key to build.
const windowedNames = new Set(
  [...Object.keys(windowedFields), ...Object.keys(liveFields)].map(key => key.split('.')[1]),
);

export const uncacheable = 'private, no-store';

/** What public answers tell shared caches (CDNs, the gateway's response cache) besides max-age. */
export interface SharedCachePolicy {
  /** s-maxage of content (CACHE_S_MAXAGE_SECONDS), capped like max-age; null: none. */
  sMaxAge: number | null;
  /** stale-while-revalidate (CACHE_STALE_WHILE_REVALIDATE_SECONDS); 0: none. */
  staleWhileRevalidate: number;
}

export const noSharedPolicy: SharedCachePolicy = { sMaxAge: null, staleWhileRevalidate: 0 };

export interface CachePolicyOptions {
  schema: GraphQLSchema;
  /** SITE_TIME_ZONE: where calendar windows move on. */
  timeZone?: string;
  /** max-age of published content: CACHE_MAX_AGE_SECONDS. */
  defaultMaxAge: number;
  /** s-maxage and stale-while-revalidate of public answers. */
  shared?: SharedCachePolicy;
  /**
   * When the next scheduled article becomes public (epoch ms), or null: public answers are not
   * cached past it. Read once per request, from memory (the publication schedule).
   */
  nextPublicationAt?: () => number | null;
}

/**
 * The max-age a field that reads view counts allows, by its window and range arguments;
 * undefined for others.
 */
function windowAge(field: OperationField, clock: PolicyClock): number | undefined {
  if (!windowedNames.has(field.name)) return undefined;
  const live = liveFields[`${field.parentType.name}.${field.name}`];
  if (live !== undefined) return live;
  const defaultWindow = windowedFields[`${field.parentType.name}.${field.name}`];
  if (!defaultWindow) return undefined;
  // The arguments as resolvers get them: a variable's value or default, else the field's default.
  const window = field.args.window as ViewWindow | null | undefined;
  const range = field.args.range as { to?: unknown } | null | undefined;
  const effective = window && window in maxAgeByWindow ? window : defaultWindow;
  return windowMaxAge(effective, range, clock);
}

/**
 * The Cache-Control of one operation, read from the operation itself: `private, no-store` for a
 * mutation or a private field. Else public, with the shortest max-age of its root fields: a ranking
 * (mostRead) is cached by its window, everything it lists included; any other root field by the
 * content max-age; a view count anywhere shortens its root field's max-age to the count's window;
 * `secondsUntilPublication` caps the whole (0: no-store). `shared.sMaxAge` is the s-maxage of
 * content, capped as max-age is (by windows and the next publication; change events purge the
 * rest), and `stale-while-revalidate` is added where set. A preview read (Query.article with
 * preview or previewToken) is private. Fields are read through fragments, with the request's variables and their defaults
 * (walkOperation).
 */
export function cachePolicyOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  defaultMaxAge: number,
  secondsUntilPublication: number | null = null,
  shared: SharedCachePolicy = noSharedPolicy,
  clock: PolicyClock = { now: Date.now(), timeZone: 'UTC' },
): string {
  if (operation.operation !== 'query') return uncacheable;
  let root: FieldGroup;
  try {
    ({ root } = walkOperation(schema, document, operation, variables));
  } catch {
    // Variables that do not coerce: the answer is an error, and errors are never cached.
    return uncacheable;
  }
  if (
    fieldsAtLevel(root).some(
      field => privateFields.has(`${root.type.name}.${field.name}`) || isPreview(root, field),
    )
  ) {
    return uncacheable;
  }
  // One fold: a root field allows the content age (max-age or s-maxage) or its window's, and every
  // view count under it (through fragments) shortens that to the count's window. So an answer's
  // age is the shortest window it reads, and the content age where a root field reads content.
  const age = foldFields<Ages>(root, {
    field: (field, inner) => {
      const atRoot = field.parentType === root.type;
      if (atRoot && field.name.startsWith('__')) return noAges;
      const own = windowAge(field, clock);
      return {
        window: Math.min(own ?? Infinity, inner?.window ?? Infinity),
        content: (atRoot && own === undefined) || (inner?.content ?? false),
      };
    },
    group: (_group, fields, fragments) => [...fields, ...fragments].reduce(shorter, noAges),
  });
  const resolve = (content: number) => Math.min(age.window, age.content ? content : Infinity);
  // Nothing public is cached past the next scheduled publication: lists, counts and lookups
  // change then (README "Scheduling").
  const cap = secondsUntilPublication ?? Infinity;
  const capped = Math.min(resolve(defaultMaxAge), cap);
  const sharedAge = shared.sMaxAge === null ? null : Math.min(resolve(shared.sMaxAge), cap);
  const longest = Math.max(capped, sharedAge ?? 0);
  if (!(longest > 0) || longest === Infinity) return uncacheable;
  let policy = `max-age=${capped}, public`;
  if (sharedAge !== null) policy += `, s-maxage=${sharedAge}`;
  if (shared.staleWhileRevalidate > 0) {
    policy += `, stale-while-revalidate=${shared.staleWhileRevalidate}`;
  }
  return policy;
}

/** The shortest window an answer reads, and whether it reads content (the content age applies). */
interface Ages {
  window: number;
  content: boolean;
}

const noAges: Ages = { window: Infinity, content: false };

function shorter(a: Ages, b: Ages): Ages {
  return { window: Math.min(a.window, b.window), content: a.content || b.content };
}

/**
 * Whether a root field is a preview read (article with preview: true or a previewToken): its
 * answer depends on who asks, even without an Authorization header (a preview link).
 */
function isPreview(root: FieldGroup, field: OperationField): boolean {
  return (
    root.type.name === 'Query' &&
    field.name === 'article' &&
    (field.args.preview === true || field.args.previewToken != null)
  );
}

/**
 * Whole seconds from `now` until `nextAt` (epoch ms), rounded down so that a cached answer never
 * outlives it; null where nothing is scheduled.
 */
export function secondsUntil(nextAt: number | null, now: number): number | null {
  return nextAt === null ? null : Math.max(0, Math.floor((nextAt - now) / 1000));
}

/**
 * Sets Cache-Control on every GraphQL answer from the operation's static policy (cachePolicyOf),
 * once per request: unlike per-field cache hints, it adds no work to each resolved field. Answers
 * with errors, and every answer to a request with an Authorization header (a token may see drafts
 * or analytics), are `private, no-store`.
 */
export function cachePolicyPlugin({
  schema,
  defaultMaxAge,
  shared = noSharedPolicy,
  nextPublicationAt,
  timeZone = 'UTC',
}: CachePolicyOptions): ApolloServerPlugin<{ now: Date }> {
  return {
    async requestDidStart({ request, contextValue }) {
      const withToken = request.http?.headers.has('authorization') ?? false;
      let policy = uncacheable;
      return {
        async didResolveOperation({ document, operation }) {
          if (!withToken && operation) {
            const next = nextPublicationAt?.() ?? null;
            policy = cachePolicyOf(
              schema,
              document,
              operation,
              request.variables,
              defaultMaxAge,
              secondsUntil(next, contextValue.now.getTime()),
              shared,
              { now: contextValue.now.getTime(), timeZone },
            );
          }
        },
        async willSendResponse({ response }) {
          const failed =
            response.body.kind !== 'single' || (response.body.singleResult.errors?.length ?? 0) > 0;
          response.http.headers.set('cache-control', failed ? uncacheable : policy);
        },
      };
    },
  };
}
