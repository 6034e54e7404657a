import { type Row, selectList, text } from './rowValues';
import { Tag } from '../../entities/Tag';

/**
 * The read SQL of the tag table (tests/rowReads.test.ts keeps it equal to Tag's @Column list).
 * An article's list of tags reads the card; Tag.description then comes from tagById where a query
 * asks for it. Lookups and the tags listing read every column.
 */
export const tagColumnNames = {
  card: ['internal_id', 'slug', 'name', 'names_json'],
  details: ['sort_name', 'description'],
} as const;

/** What an article's list of tags reads, on the alias `t`. */
export const tagCardColumns = selectList('t', tagColumnNames.card);

/** Every column, on the alias `t`. */
export const tagColumns = `${tagCardColumns}, ${selectList('t', tagColumnNames.details)}`;

/** A tag from a row of card columns: detailsLoaded is false. */
export function tagCardFromRow(row: Row): Tag {
  const tag = new Tag();
  tag.internalId = Number(row.internal_id);
  tag.slug = String(row.slug);
  tag.name = String(row.name);
  tag.namesJson = text(row.names_json);
  return tag;
}

/** A tag from a row of every column (tagColumns): detailsLoaded is true. */
export function tagFromRow(row: Row): Tag {
  const tag = tagCardFromRow(row);
  tag.sortName = String(row.sort_name);
  tag.description = text(row.description);
  tag.detailsLoaded = true;
  return tag;
}
