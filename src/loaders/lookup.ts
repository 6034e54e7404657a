import DataLoader from 'dataloader';
import { SqlParams } from '../db/dialect';
import type { Sql } from '../db/SqlReader';

type Row = Record<string, unknown>;

export interface LookupSpec<K extends string | number, V> {
  /** SELECT ... FROM ... with the alias the where clause uses. */
  select: string;
  /** The column matched against the keys, e.g. "a.slug". */
  column: string;
  /** Extra conditions built with the same params (e.g. the public-article condition). */
  where?: (params: SqlParams) => string;
  /** ORDER BY of a group loader, e.g. "l.article_id, l.position". */
  orderBy?: string;
  map: (row: Row) => V;
  keyOf: (row: Row) => K;
  /** Told of each key that found no row (a lookup loader's). */
  onMiss?: (key: K) => void;
}

/**
 * A loader that fetches one row per key in a single statement and answers in key order, with
 * null for a miss: the shape of every by-id and by-slug loader.
 */
export function lookupLoader<K extends string | number, V>(
  db: Sql,
  spec: LookupSpec<K, V>,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async keys => {
    const params = new SqlParams(db.dialect);
    const conditions = [`${spec.column} IN ${params.list(keys)}`];
    if (spec.where) conditions.push(spec.where(params));
    const rows: Row[] = await db.query(
      `${spec.select} WHERE ${conditions.join(' AND ')}`,
      params.values,
    );
    const byKey = new Map(rows.map(row => [spec.keyOf(row), spec.map(row)]));
    return keys.map(key => {
      const value = byKey.get(key);
      if (value === undefined) spec.onMiss?.(key);
      return value ?? null;
    });
  });
}

/**
 * A loader that fetches many rows per key in a single statement (ordered by the SQL), grouped
 * per key in key order, an empty list for a key with none.
 */
export function groupLoader<V, K extends string | number = number>(
  db: Sql,
  spec: LookupSpec<K, V>,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async keys => {
    const params = new SqlParams(db.dialect);
    const conditions = [`${spec.column} IN ${params.list(keys)}`];
    if (spec.where) conditions.push(spec.where(params));
    const orderBy = spec.orderBy ? ` ORDER BY ${spec.orderBy}` : '';
    const sql = `${spec.select} WHERE ${conditions.join(' AND ')}${orderBy}`;
    const rows: Row[] = await db.query(sql, params.values);
    const groups = new Map<K, V[]>(keys.map(key => [key, []]));
    for (const row of rows) groups.get(spec.keyOf(row))?.push(spec.map(row));
    return keys.map(key => groups.get(key) ?? []);
  });
}
