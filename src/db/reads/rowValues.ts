/** A row as the drivers return it: column name to value. */
export type Row = Record<string, unknown>;

/** A nullable epoch-milliseconds column (bigint: a string on PostgreSQL, a number on SQLite). */
export const date = (value: unknown): Date | null =>
  value == null ? null : new Date(Number(value));

export const text = (value: unknown): string | null => (value == null ? null : String(value));

export const int = (value: unknown): number | null => (value == null ? null : Number(value));

/** SQLite returns booleans as 0 and 1, PostgreSQL as true and false. */
export const bool = (value: unknown): boolean => value === true || value === 1;

/** A select list of columns on a table alias: `a.slug, a.title`. */
export function selectList(alias: string, columns: readonly string[]): string {
  return columns.map(column => `${alias}.${column}`).join(', ');
}
