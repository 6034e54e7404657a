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
 * Cache hints beside Apollo's cache-control plugin, which must come before it in the plugin list:
 * that plugin gives every object field and root field the content max-age (CACHE_MAX_AGE_SECONDS);
 * this one shortens view-count fields to their window's max-age, makes viewStats, mutations and any
 * request with an Authorization header private and uncacheable, and sends `private, no-store` where
 * Apollo would send a bare `no-store`.
 */
export function cacheHintsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      const withToken = request.http?.headers.has('authorization') ?? false;
      return {
        async executionDidStart() {
          return {
            willResolveField({ info: resolveInfo, args }) {
              const info = resolveInfo as typeof resolveInfo & CacheControlInfo;
              const key = `${info.parentType.name}.${info.fieldName}`;
              if (info.parentType.name === 'Mutation' || privateFields.has(key)) {
                info.cacheControl?.setCacheHint({ maxAge: 0, scope: 'PRIVATE' });
                return;
              }
              const defaultWindow = windowedFields[key];
              if (defaultWindow) {
                const window = (args as { window?: ViewWindow | null }).window ?? defaultWindow;
                const maxAge = maxAgeByWindow[window] ?? maxAgeByWindow[defaultWindow];
                // restrict, not replace: a shorter content max-age setting still wins.
                info.cacheControl?.cacheHint.restrict({ maxAge });
              }
            },
          };
        },
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
