import { SqlParams } from '../db/dialect';
import type { Sql } from '../db/SqlReader';
import { decodeCursor, encodeCursor } from '../relay/cursor';

export interface NamedPage<T> {
  edges: { cursor: string; node: T }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export interface NamedTable<T> {
  /** e.g. "author au"; the alias is used in the columns. */
  from: string;
  alias: string;
  columns: string;
  map: (row: Record<string, unknown>) => T & { internalId: number; sortName: string };
}

/** Authors or tags in name order (folded name, then id) after a keyset cursor, in one statement. */
export async function listByName<T>(
  db: Sql,
  table: NamedTable<T>,
  first: number,
  after: string | null | undefined,
): Promise<NamedPage<T>> {
  const params = new SqlParams(db.dialect);
  const kind = `name:${table.alias}`;
  const a = table.alias;
  let where = '';
  if (after) {
    const [name, id] = decodeCursor(after, kind, ['text', 'id'] as const);
    // A row-value comparison: an index range on both databases (see articleListing's keyset).
    where = `WHERE (${a}.sort_name, ${a}.internal_id) > (${params.add(name)}, ${params.add(id)})`;
  }
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT ${table.columns} FROM ${table.from} ${where} ORDER BY ${a}.sort_name, ${a}.internal_id LIMIT ${params.add(first + 1)}`,
    params.values,
  );
  const edges = rows.slice(0, first).map(row => {
    const node = table.map(row);
    return { cursor: encodeCursor(kind, [node.sortName, node.internalId]), node: node as T };
  });
  return { edges, hasNextPage: rows.length > first, hasPreviousPage: Boolean(after) };
}

/** COUNT(*) of a table. */
export async function countRows(db: Sql, table: 'author' | 'tag'): Promise<number> {
  const rows: { total: number }[] = await db.query(`SELECT COUNT(*) AS total FROM ${table}`);
  return Number(rows[0]?.total ?? 0);
}
