import { type Row, selectList, text } from './rowValues';
import { Author } from '../../entities/Author';

/**
 * The read SQL of the author table (tests/rowReads.test.ts keeps it equal to Author's @Column
 * list). An article's list of authors reads the card; Author.bio then comes from authorById where
 * a query asks for it. Lookups and the authors listing read every column.
 */
export const authorColumnNames = {
  card: ['internal_id', 'slug', 'name', 'names_json', 'avatar_url'],
  details: ['sort_name', 'bio'],
} as const;

/** What an article's list of authors reads, on the alias `au`. */
export const authorCardColumns = selectList('au', authorColumnNames.card);

/** Every column, on the alias `au`. */
export const authorColumns = `${authorCardColumns}, ${selectList('au', authorColumnNames.details)}`;

/** An author from a row of card columns: detailsLoaded is false. */
export function authorCardFromRow(row: Row): Author {
  const author = new Author();
  author.internalId = Number(row.internal_id);
  author.slug = String(row.slug);
  author.name = String(row.name);
  author.namesJson = text(row.names_json);
  author.avatarUrl = text(row.avatar_url);
  return author;
}

/** An author from a row of every column (authorColumns): detailsLoaded is true. */
export function authorFromRow(row: Row): Author {
  const author = authorCardFromRow(row);
  author.sortName = String(row.sort_name);
  author.bio = text(row.bio);
  author.detailsLoaded = true;
  return author;
}
