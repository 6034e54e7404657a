import type { ChangeEventType } from '../changeEvent';

/** Every event type an endpoint may ask for (src/content/changes/changeEvent.ts). */
export const webhookEventTypes: readonly ChangeEventType[] = [
  'article.published',
  'article.updated',
  'article.unpublished',
  'article.deleted',
  'tag.created',
  'tag.updated',
  'tag.deleted',
  'author.created',
  'author.updated',
  'author.deleted',
];

/** A pattern is wrong: says what was expected and what arrived. */
export class WebhookEventsError extends Error {
  override readonly name = 'WebhookEventsError';
}

/**
 * Parses "article.*,tag.updated" (or a list) into patterns: an exact type, a kind with ".*"
 * (article.*, tag.*, author.*) or "*" for every event. Throws WebhookEventsError for anything
 * that matches no type, so a typo never registers an endpoint that silently receives nothing.
 */
export function parseEventPatterns(value: string | readonly string[]): string[] {
  const patterns = (typeof value === 'string' ? value.split(',') : [...value])
    .map(pattern => pattern.trim())
    .filter(pattern => pattern !== '');
  if (patterns.length === 0) {
    throw new WebhookEventsError('expected at least one event pattern, such as article.*,tag.*');
  }
  for (const pattern of patterns) {
    if (!webhookEventTypes.some(type => eventMatches(pattern, type))) {
      throw new WebhookEventsError(
        `expected event patterns such as article.*, tag.updated or * (types: ${webhookEventTypes.join(', ')}), got ${JSON.stringify(pattern)}.`,
      );
    }
  }
  return [...new Set(patterns)];
}

/** Whether one pattern (exact, kind.* or *) covers an event type. */
export function eventMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

/** Whether any of an endpoint's patterns covers an event type. */
export function endpointWants(patterns: readonly string[], type: string): boolean {
  return patterns.some(pattern => eventMatches(pattern, type));
}
