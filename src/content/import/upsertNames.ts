import type { EntityManager } from 'typeorm';
import type { ImportReport } from './importReport';
import { Author } from '../../entities/Author';
import { Tag } from '../../entities/Tag';
import { authorFacts, recordNameChange, tagFacts } from '../changes/nameChange';
import { namesJson } from '../editorial/namesJson';
import { sortKey } from '../textFolding';

// The author and tag writes of the imports (Markdown files, WordPress, Ghost): by slug, with the
// name-change event that keeps cached pages of a renamed author or tag honest.

export type Counts = ImportReport['articles'];

/** Creates or (with overwrite) updates the author of this slug; an existing one is kept as is otherwise. */
export async function upsertAuthor(
  manager: EntityManager,
  values: {
    slug: string;
    name: string;
    names?: Record<string, string>;
    bio?: string | null;
    avatar?: string | null;
  },
  overwrite: boolean,
  counts: Counts,
  now: Date,
): Promise<Author> {
  const repository = manager.getRepository(Author);
  const existing = await repository.findOneBy({ slug: values.slug });
  if (existing && !overwrite) return existing;
  const before = existing ? authorFacts(existing) : null;
  const author = existing ?? repository.create({ slug: values.slug });
  author.name = values.name;
  author.sortName = sortKey(values.name);
  author.namesJson = namesJson(values.names);
  author.bio = values.bio ?? (existing ? existing.bio : null);
  author.avatarUrl = values.avatar ?? (existing ? existing.avatarUrl : null);
  counts[existing ? 'updated' : 'created'] += 1;
  const saved = await repository.save(author);
  await recordNameChange(manager, 'author', { before, after: authorFacts(saved), now });
  return saved;
}

/** Creates or (with overwrite) updates the tag of this slug; an existing one is kept as is otherwise. */
export async function upsertTag(
  manager: EntityManager,
  values: {
    slug: string;
    name: string;
    names?: Record<string, string>;
    description?: string | null;
  },
  overwrite: boolean,
  counts: Counts,
  now: Date,
): Promise<Tag> {
  const repository = manager.getRepository(Tag);
  const existing = await repository.findOneBy({ slug: values.slug });
  if (existing && !overwrite) return existing;
  const before = existing ? tagFacts(existing) : null;
  const tag = existing ?? repository.create({ slug: values.slug });
  tag.name = values.name;
  tag.sortName = sortKey(values.name);
  tag.namesJson = namesJson(values.names);
  tag.description = values.description ?? (existing ? existing.description : null);
  counts[existing ? 'updated' : 'created'] += 1;
  const saved = await repository.save(tag);
  await recordNameChange(manager, 'tag', { before, after: tagFacts(saved), now });
  return saved;
}
