import type { DataSource } from 'typeorm';

/** The two SQL dialects the gateway speaks. Where their SQL differs, it lives in this folder. */
export type Dialect = 'sqlite' | 'postgres';

export function dialectOf(db: DataSource): Dialect {
  return db.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * Collects parameters for one raw statement and names their placeholders as the dialect wants
 * them ($1, $2 ... on PostgreSQL, ?1, ?2 ... on SQLite), so fragments may be built in any order. Values never enter SQL text.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  constructor(readonly dialect: Dialect) {}

  /** Adds a value and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'postgres' ? `$${this.values.length}` : `?${this.values.length}`;
  }

  /** Adds each value; returns "(p1, p2, ...)" for an IN list. Callers never pass an empty list. */
  list(values: readonly unknown[]): string {
    return `(${values.map(value => this.add(value)).join(', ')})`;
  }
}
