import type { DataSource } from 'typeorm';
import { describeEachDatabase } from './helpers/databases';
import { articleFile } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import {
  articleCardFromRow,
  articleColumnNames,
  articleColumns,
  articleFromRow,
} from '../src/db/reads/articleRows';
import { articleCardColumns } from '../src/db/reads/articleRows';
import {
  authorCardColumns,
  authorCardFromRow,
  authorColumnNames,
  authorColumns,
  authorFromRow,
} from '../src/db/reads/authorRows';
import type { Row } from '../src/db/reads/rowValues';
import {
  tagCardColumns,
  tagCardFromRow,
  tagColumnNames,
  tagColumns,
  tagFromRow,
} from '../src/db/reads/tagRows';
import { Article } from '../src/entities/Article';
import { Author } from '../src/entities/Author';
import { Tag } from '../src/entities/Tag';

type Entity = typeof Article | typeof Author | typeof Tag;

interface TableRead {
  entity: Entity;
  table: string;
  alias: string;
  /** Every column name the table's reads select, body columns included. */
  read: readonly string[];
  /** The columns a list reads. */
  cardNames: readonly string[];
  /** What a lookup selects, and its mapper; what a list selects, and its mapper. */
  whole: { columns: string; map: (row: Row) => object };
  card: { columns: string; map: (row: Row) => object };
}

const tables: TableRead[] = [
  {
    entity: Article,
    table: 'article',
    alias: 'a',
    read: [...articleColumnNames.card, ...articleColumnNames.details, ...articleColumnNames.body],
    cardNames: articleColumnNames.card,
    whole: { columns: articleColumns, map: articleFromRow },
    card: { columns: articleCardColumns, map: articleCardFromRow },
  },
  {
    entity: Author,
    table: 'author',
    alias: 'au',
    read: [...authorColumnNames.card, ...authorColumnNames.details],
    cardNames: authorColumnNames.card,
    whole: { columns: authorColumns, map: authorFromRow },
    card: { columns: authorCardColumns, map: authorCardFromRow },
  },
  {
    entity: Tag,
    table: 'tag',
    alias: 't',
    read: [...tagColumnNames.card, ...tagColumnNames.details],
    cardNames: tagColumnNames.card,
    whole: { columns: tagColumns, map: tagFromRow },
    card: { columns: tagCardColumns, map: tagCardFromRow },
  },
];

/**
 * Columns of a migrated table that no entity maps and no read selects: PostgreSQL's full-text
 * vector, written and matched by src/db/search.ts only (SQLite keeps its index in an FTS table).
 */
const searchOnly: Record<string, string[]> = { article: ['search_vector'] };

/** The columns of the migrated table that the entity maps. */
async function tableColumns(db: DataSource, table: string): Promise<string[]> {
  const unmapped = db.options.type === 'postgres' ? (searchOnly[table] ?? []) : [];
  const rows: { name: string }[] =
    db.options.type === 'postgres'
      ? await db.query(
          'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
          [table],
        )
      : await db.query(`SELECT name FROM pragma_table_info('${table}')`);
  return rows
    .map(row => row.name)
    .filter(name => !unmapped.includes(name))
    .sort();
}

describeEachDatabase('the read SQL of each table', dialect => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    await gateway.importFiles([
      articleFile({
        slug: 'vollstaendig',
        authors: ['lesende'],
        tags: ['lesen'],
        featured: true,
        excerpt: 'Ein eigener Anriss.',
        image: '/media/bild.jpg',
      }),
    ]);
  });
  afterAll(() => gateway.close());

  describe.each(tables)('$table', ({ entity, table, alias, read, cardNames, whole, card }) => {
    it("reads exactly the entity's @Column list, which is the migrated table", async () => {
      const columns = gateway.db.getMetadata(entity).columns;
      const entityColumns = columns.map(column => column.databaseName).sort();
      // A column the entity never reads (select: false) is in the table but in no read list.
      const readable = columns
        .filter(column => column.isSelect)
        .map(column => column.databaseName)
        .sort();
      expect([...read].sort()).toEqual(readable);
      expect(new Set(read).size).toBe(read.length);
      expect(await tableColumns(gateway.db, table)).toEqual(entityColumns);
    });

    it('maps a lookup row to what TypeORM reads, with detailsLoaded, and a list row to its card', async () => {
      const [stored] = await gateway.db.getRepository(entity).find({ take: 1 });
      expect(stored).toBeDefined();
      const [row] = await gateway.db.query(
        `SELECT ${whole.columns} FROM ${table} ${alias} WHERE ${alias}.internal_id = ${Number(stored.internalId)}`,
      );
      const mapped = whole.map(row) as Record<string, unknown>;
      const columns = gateway.db.getMetadata(entity).columns;
      const valuesOf = (names: (name: string) => boolean) =>
        Object.fromEntries(
          columns
            .filter(column => names(column.databaseName))
            .map(column => [column.propertyName, column.getEntityValue(stored)]),
        );
      // Every column but the bodies (articleBodyById reads those one format at a time).
      const expected = valuesOf(name => !name.startsWith('body_'));
      expect(mapped).toEqual({ ...expected, detailsLoaded: true });
      const [cardRow] = await gateway.db.query(
        `SELECT ${card.columns} FROM ${table} ${alias} WHERE ${alias}.internal_id = ${Number(stored.internalId)}`,
      );
      const cardOnly = card.map(cardRow) as Record<string, unknown>;
      // The card's fields as stored, the rest unset: undefined fields are left out of toEqual.
      expect(cardOnly).toEqual({
        ...valuesOf(name => cardNames.includes(name)),
        detailsLoaded: false,
      });
      const unset = Object.keys(valuesOf(name => !cardNames.includes(name)));
      expect(unset.filter(property => cardOnly[property] !== undefined)).toEqual([]);
    });
  });
});
