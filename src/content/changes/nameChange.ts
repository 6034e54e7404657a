import type { EntityManager } from 'typeorm';
import { cacheKeys } from './cacheKeys';
import { recordChange } from './recordChange';
import type { Author } from '../../entities/Author';
import type { Tag } from '../../entities/Tag';
import { encodeGlobalId } from '../../relay/globalId';

/** What an event says about a tag or an author; `fields` are compared to tell a change. */
export interface NameFacts {
  internalId: number;
  slug: string;
  name: string;
  /** Every stored field (bio, avatar, description...), compared only. */
  fields: Record<string, unknown>;
}

/**
 * Records `tag.created`/`tag.updated` or `author.created`/`author.updated` in the write's
 * transaction; nothing where an update changed no field. Keys: the tag's or author's own (its
 * page, its list, and every answer that shows it) and the feeds.
 */
export async function recordNameChange(
  manager: EntityManager,
  kind: 'tag' | 'author',
  change: { before: NameFacts | null; after: NameFacts; now: Date },
): Promise<void> {
  const { before, after, now } = change;
  if (before && JSON.stringify(before.fields) === JSON.stringify(after.fields)) return;
  const type = kind === 'tag' ? 'Tag' : 'Author';
  const key = kind === 'tag' ? cacheKeys.tag(after.internalId) : cacheKeys.author(after.internalId);
  await recordChange(manager, {
    type: `${kind}.${before ? 'updated' : 'created'}`,
    occurredAt: now.toISOString(),
    [kind]: {
      id: encodeGlobalId(type, after.internalId),
      slug: after.slug,
      previousSlug: before && before.slug !== after.slug ? before.slug : null,
      name: after.name,
    },
    keys: [key, cacheKeys.feeds],
    subject: { type, id: after.internalId },
    publicChange: true,
  });
}

/** A tag's facts as stored (copied: writes change the entity in place). */
export function tagFacts(tag: Tag): NameFacts {
  return {
    internalId: tag.internalId,
    slug: tag.slug,
    name: tag.name,
    fields: { slug: tag.slug, name: tag.name, description: tag.description },
  };
}

/** An author's facts as stored. */
export function authorFacts(author: Author): NameFacts {
  return {
    internalId: author.internalId,
    slug: author.slug,
    name: author.name,
    fields: {
      slug: author.slug,
      name: author.name,
      bio: author.bio,
      avatarUrl: author.avatarUrl,
    },
  };
}
