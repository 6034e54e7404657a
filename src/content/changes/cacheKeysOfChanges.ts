import { cacheKeys } from './cacheKeys';
import type { ChangeEvent } from './changeEvent';

/**
 * The cache keys a batch of change events invalidates: each event's own keys, and the list of
 * every tag or author for a tag or author change (a tag created, renamed or deleted changes
 * Query.tags, and answers a tag(slug:) that found nothing), once each.
 */
export function cacheKeysOfChanges(events: readonly ChangeEvent[]): string[] {
  const keys = new Set<string>();
  for (const event of events) {
    for (const key of event.keys) keys.add(key);
    if (event.type.startsWith('tag.')) keys.add(cacheKeys.tagLists);
    if (event.type.startsWith('author.')) keys.add(cacheKeys.authorLists);
  }
  return [...keys];
}
