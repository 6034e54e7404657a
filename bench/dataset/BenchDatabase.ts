import Sqlite from 'better-sqlite3';
import pg from 'pg';

export type BenchDialect = 'sqlite' | 'postgres';

/**
 * The benchmark's own access to the dataset, outside the gateway: better-sqlite3 for SQLite and
 * pg for PostgreSQL, the fastest driver of each. Bulk writes go in big transactions.
 */
export interface BenchDatabase {
  readonly dialect: BenchDialect;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /** Inserts rows in batches inside the caller's transaction (or autocommit). */
  insertRows(table: string, columns: readonly string[], rows: unknown[][]): Promise<void>;
  transaction(work: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

// SQLite binds no booleans: the gateway's sqlite3 driver stores true as 1 too.
const sqliteValue = (value: unknown) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

export function openSqlite(file: string): BenchDatabase {
  const db = new Sqlite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const statements = new Map<string, Sqlite.Statement>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    dialect: 'sqlite',
    async query<T>(sql: string, params: unknown[] = []) {
      const statement = prepared(sql);
      const values = params.map(sqliteValue);
      if (statement.reader) return statement.all(...values) as T[];
      statement.run(...values);
      return [];
    },
    async exec(sql) {
      db.exec(sql);
    },
    async insertRows(table, columns, rows) {
      const statement = prepared(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      for (const row of rows) statement.run(...row.map(sqliteValue));
    },
    async transaction(work) {
      db.exec('BEGIN');
      try {
        await work();
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    async close() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

export async function openPostgres(url: string, schema: string): Promise<BenchDatabase> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  return {
    dialect: 'postgres',
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async exec(sql) {
      await client.query(sql);
    },
    async insertRows(table, columns, rows) {
      // PostgreSQL takes at most 65,535 parameters a statement.
      const batch = Math.max(1, Math.min(1000, Math.floor(60_000 / columns.length)));
      for (let start = 0; start < rows.length; start += batch) {
        const chunk = rows.slice(start, start + batch);
        const values: unknown[] = [];
        const tuples = chunk.map(row => {
          const placeholders = row.map(value => {
            values.push(value);
            return `$${values.length}`;
          });
          return `(${placeholders.join(', ')})`;
        });
        await client.query(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`,
          values,
        );
      }
    },
    async transaction(work) {
      await client.query('BEGIN');
      try {
        await work();
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
    async close() {
      await client.end();
    },
  };
}
