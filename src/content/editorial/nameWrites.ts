import type { EntityManager } from 'typeorm';
import { checked, shown } from './articleInput';
import { madeSlug, nameRules } from './articleRules';
import type { WriteRequest } from './articleWrites';
import { namesJson } from './namesJson';
import { Author } from '../../entities/Author';
import { Tag } from '../../entities/Tag';
import { BadUserInputError } from '../../errors/BadUserInputError';
import { NotFoundError } from '../../errors/NotFoundError';
import { decodeGlobalId } from '../../relay/globalId';
import { contentTransaction } from '../changes/contentTransaction';
import { authorFacts, recordNameChange, tagFacts } from '../changes/nameChange';
import { sortKey } from '../textFolding';

/** A name in one language (README "Translations"). */
export interface LocalizedName {
  locale: string;
  name: string;
}

/** The fields of createAuthor/updateAuthor; left out: unchanged, null: cleared (bio, avatarUrl). */
export interface AuthorFields {
  name?: string | null;
  names?: readonly LocalizedName[] | null;
  slug?: string | null;
  bio?: string | null;
  avatarUrl?: string | null;
}

/** The fields of createTag/updateTag. */
export interface TagFields {
  name?: string | null;
  names?: readonly LocalizedName[] | null;
  slug?: string | null;
  description?: string | null;
}

type Named = typeof Author | typeof Tag;

async function named<E extends Named>(
  manager: EntityManager,
  entity: E,
  id: string,
): Promise<InstanceType<E>> {
  const type = entity === Author ? 'Author' : 'Tag';
  const decoded = decodeGlobalId(id);
  const found =
    decoded?.type === type
      ? await manager.findOneBy(entity, { internalId: decoded.internalId })
      : null;
  if (!found) throw new NotFoundError(`No ${type.toLowerCase()} with id ${JSON.stringify(id)}.`);
  return found as InstanceType<E>;
}

/** Name and slug as the import checks them; the slug made from the name where none is given. */
async function nameAndSlug(
  manager: EntityManager,
  entity: Named,
  current: { internalId?: number; name: string; slug: string },
  input: { name?: string | null; slug?: string | null },
): Promise<{ name: string; slug: string }> {
  let { name, slug } = current;
  if (input.name !== undefined) {
    if (input.name === null)
      throw new BadUserInputError('input.name: must not be null.', 'input.name');
    name = checked(nameRules.name, input.name, 'input.name');
  }
  if (input.slug != null) slug = checked(nameRules.slug, input.slug, 'input.slug');
  else if (input.slug === null && current.slug) {
    throw new BadUserInputError('input.slug: must not be null.', 'input.slug');
  } else if (!slug) {
    slug = madeSlug(name) ?? '';
    if (!slug) {
      throw new BadUserInputError(
        `input.name: no slug can be made from it, got ${shown(name)}; give input.slug.`,
        'input.name',
      );
    }
  }
  const holder = await manager.findOneBy(entity, { slug });
  if (holder && holder.internalId !== current.internalId) {
    throw new BadUserInputError(
      `input.slug: ${slug} is the slug of another ${entity === Author ? 'author' : 'tag'}.`,
      'input.slug',
    );
  }
  return { name, slug };
}

/**
 * The names per language as stored, checked by the import's rule; the whole list replaces the
 * stored one, null or [] removes them. A locale given twice is BAD_USER_INPUT.
 */
function checkedNames(names: readonly LocalizedName[] | null): string | null {
  const byLocale: Record<string, string> = {};
  for (const { locale, name } of names ?? []) {
    if (locale in byLocale) {
      throw new BadUserInputError(
        `input.names: one name a locale, got ${shown(locale)} twice.`,
        'input.names',
      );
    }
    byLocale[locale] = name;
  }
  return namesJson(checked(nameRules.names, byLocale, 'input.names'));
}

/** createAuthor (no id) or updateAuthor (id): only the given fields change; its event with it. */
export function writeAuthor(
  request: WriteRequest,
  input: AuthorFields & { id?: string },
): Promise<Author> {
  const { now } = request;
  return contentTransaction(request.services.db, async manager => {
    const author = input.id
      ? await named(manager, Author, input.id)
      : manager.create(Author, { name: '', slug: '', bio: null, avatarUrl: null, namesJson: null });
    const before = input.id ? authorFacts(author) : null;
    if (!input.id && input.name == null) {
      throw new BadUserInputError('input.name: a new author needs a name.', 'input.name');
    }
    Object.assign(author, await nameAndSlug(manager, Author, author, input));
    author.sortName = sortKey(author.name);
    if (input.names !== undefined) author.namesJson = checkedNames(input.names);
    if (input.bio !== undefined)
      author.bio = checked(nameRules.bio, input.bio, 'input.bio') ?? null;
    if (input.avatarUrl !== undefined) {
      author.avatarUrl = checked(nameRules.avatarUrl, input.avatarUrl, 'input.avatarUrl') ?? null;
    }
    const saved = await manager.save(Author, author);
    saved.detailsLoaded = true;
    await recordNameChange(manager, 'author', { before, after: authorFacts(saved), now });
    return saved;
  });
}

/** createTag (no id) or updateTag (id): only the given fields change; its event with it. */
export function writeTag(request: WriteRequest, input: TagFields & { id?: string }): Promise<Tag> {
  const { now } = request;
  return contentTransaction(request.services.db, async manager => {
    const tag = input.id
      ? await named(manager, Tag, input.id)
      : manager.create(Tag, { name: '', slug: '', description: null, namesJson: null });
    const before = input.id ? tagFacts(tag) : null;
    if (!input.id && input.name == null) {
      throw new BadUserInputError('input.name: a new tag needs a name.', 'input.name');
    }
    Object.assign(tag, await nameAndSlug(manager, Tag, tag, input));
    tag.sortName = sortKey(tag.name);
    if (input.names !== undefined) tag.namesJson = checkedNames(input.names);
    if (input.description !== undefined) {
      tag.description =
        checked(nameRules.description, input.description, 'input.description') ?? null;
    }
    const saved = await manager.save(Tag, tag);
    saved.detailsLoaded = true;
    await recordNameChange(manager, 'tag', { before, after: tagFacts(saved), now });
    return saved;
  });
}
