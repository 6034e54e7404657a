import type { ApolloServerPlugin } from '@apollo/server';
import { ViewWindow } from '../entities/enums';

/**
 * How long a ranking over each window may be cached (issue 4): a 24-hour ranking moves within a
 * minute on a busy site, a 30-day or all-time one hardly within a quarter of an hour.
 */
export const maxAgeByWindow: Readonly<Record<ViewWindow, number>> = {
  [ViewWindow.LAST_24_HOURS]: 60,
  [ViewWindow.LAST_7_DAYS]: 300,
  [ViewWindow.LAST_30_DAYS]: 900,
  [ViewWindow.ALL_TIME]: 900,
};

/** Fields whose answer depends on who asks: never in a shared cache. */
const privateFields = new Set(['Query.viewStats']);

/** Fields that read view counts: cached by their window, not the content max-age. */
const windowedFields: Record<string, ViewWindow> = {
  'Query.mostRead': ViewWindow.LAST_7_DAYS,
  'Article.viewCount': ViewWindow.ALL_TIME,
};

const uncacheable = 'private, no-store';

/** What Apollo's cache-control plugin adds to the resolve info (@apollo/cache-control-types). */
interface CacheControlInfo {
  cacheControl: {
    setCacheHint(hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }): void;
    cacheHint: { restrict(hint: { maxAge?: number; scope?: 'PUBLIC' | 'PRIVATE' }): void };
  };
}

/**
 * Field cache hints for Apollo's cache-control plugin, which gives every object field and root field
 * the content max-age (CACHE_MAX_AGE_SECONDS): this one shortens view-count fields to their window's
 * max-age and makes viewStats and mutations private and uncacheable. It must come BEFORE the
 * cache-control plugin in the plugin list: Apollo calls willResolveField hooks in reverse order,
 * and the cache-control plugin's hook sets up info.cacheControl.
 */
export function cacheHintsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      // The max-age of each windowed root field (by response key): what lies under a ranking is
      // cached as long as the ranking, not the content max-age, so a 30-day list keeps 15 minutes.
      const rankingMaxAge = new Map<string | number, number>();
      return {
        async executionDidStart() {
          return {
            willResolveField({ info: resolveInfo, args }) {
              const info = resolveInfo as typeof resolveInfo & CacheControlInfo;
              const key = `${info.parentType.name}.${info.fieldName}`;
              if (info.parentType.name === 'Mutation' || privateFields.has(key)) {
                info.cacheControl.setCacheHint({ maxAge: 0, scope: 'PRIVATE' });
                return;
              }
              let root = info.path;
              while (root.prev) root = root.prev;
              const defaultWindow = windowedFields[key];
              if (defaultWindow) {
                const window = (args as { window?: ViewWindow | null }).window ?? defaultWindow;
                const maxAge = maxAgeByWindow[window] ?? maxAgeByWindow[defaultWindow];
                if (root === info.path) rankingMaxAge.set(root.key, maxAge);
                // restrict, not replace: a shorter max-age from above still wins.
                info.cacheControl.cacheHint.restrict({ maxAge });
                return;
              }
              const underRanking = rankingMaxAge.get(root.key);
              if (underRanking !== undefined && root !== info.path) {
                info.cacheControl.cacheHint.restrict({ maxAge: underRanking });
              }
            },
          };
        },
      };
    },
  };
}

/**
 * Makes every answer to a request with an Authorization header `private, no-store` (a token may see
 * drafts or analytics), and sends `private, no-store` where Apollo would send a bare `no-store`.
 * It must come AFTER the cache-control plugin: willSendResponse hooks run in list order.
 */
export function privateResponsesPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      const withToken = request.http?.headers.has('authorization') ?? false;
      return {
        async willSendResponse({ response }) {
          const header = response.http.headers.get('cache-control');
          if (withToken || header === 'no-store') {
            response.http.headers.set('cache-control', uncacheable);
          }
        },
      };
    },
  };
}
