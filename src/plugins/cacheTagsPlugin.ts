import type { ApolloServerPlugin } from '@apollo/server';
import { uncacheable } from './cachePolicyPlugin';
import { cacheKeys } from '../content/changes/cacheKeys';
import type { AnswerKeys } from '../loaders/answerKeys';

export type CacheTagHeader = 'Cache-Tag' | 'Surrogate-Key';

export interface CacheTagsOptions {
  /** CACHE_TAG_HEADER: Cloudflare's Cache-Tag (comma-separated) or Fastly's Surrogate-Key (spaces). */
  header: CacheTagHeader;
  /** CACHE_TAG_MAX_BYTES: beyond it the coarse `content` key stands for all of them. */
  maxBytes: number;
}

/**
 * The header value of an answer's keys, in the order they were met: comma-separated for
 * Cloudflare's Cache-Tag, space-separated for Fastly's Surrogate-Key (as each documents). Past
 * `maxBytes` the one key `content` replaces them, so that the header stays far below Node's 16 KB
 * limit and the CDNs' own (16 KB for both); every change purges `content` too.
 */
export function cacheTagValue(
  keys: Iterable<string>,
  header: CacheTagHeader,
  maxBytes: number,
): string | null {
  const value = [...keys].join(header === 'Cache-Tag' ? ',' : ' ');
  if (value === '') return null;
  // Keys are ASCII (ids, slugs are URL-safe), so length is bytes; Buffer.byteLength for safety.
  return Buffer.byteLength(value) > maxBytes ? cacheKeys.all : value;
}

/**
 * Sets CACHE_TAG_HEADER on every public answer to the keys of what it contains (the request's
 * AnswerKeys, filled by loaders and list resolvers as they produced rows). Installed after
 * cachePolicyPlugin, whose Cache-Control it reads: private and failed answers carry no keys.
 */
export function cacheTagsPlugin({
  header,
  maxBytes,
}: CacheTagsOptions): ApolloServerPlugin<{ keys: AnswerKeys }> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async willSendResponse({ response }) {
          const policy = response.http.headers.get('cache-control');
          if (policy === undefined || policy === uncacheable) return;
          const value = cacheTagValue(contextValue.keys.keys, header, maxBytes);
          if (value !== null) response.http.headers.set(header.toLowerCase(), value);
        },
      };
    },
  };
}
