import Sqlite from 'better-sqlite3';
import pg from 'pg';

/** The baseline's database access: prepared statements on better-sqlite3, a pool on pg. */
export interface BaselineSql {
  readonly dialect: 'sqlite' | 'postgres';
  /** Statements run so far, for statements per request. */
  statements: number;
  all<T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<T[]>;
  run(sql: string, params: unknown[]): Promise<void>;
  close(): Promise<void>;
}

/** "?" placeholders to "$1, $2 ..." once per statement text. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export function baselineSqlite(file: string): BaselineSql {
  const db = new Sqlite(file);
  // The same settings the gateway uses on SQLite (src/db/createDataSource.ts).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const cache = new Map<string, Sqlite.Statement>();
  const prepared = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
  const sql: BaselineSql = {
    dialect: 'sqlite',
    statements: 0,
    async all<T>(text: string, params: unknown[]) {
      sql.statements += 1;
      return prepared(text).all(...params) as T[];
    },
    async run(text: string, params: unknown[]) {
      sql.statements += 1;
      prepared(text).run(...params);
    },
    async close() {
      db.close();
    },
  };
  return sql;
}

export function baselinePostgres(url: string, schema: string, poolSize: number): BaselineSql {
  pg.types.setTypeParser(pg.types.builtins.INT8, value => Number(value));
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: `-c search_path=${schema}`,
  });
  const texts = new Map<string, { name: string; text: string }>();
  const named = (text: string) => {
    let entry = texts.get(text);
    if (!entry) {
      entry = { name: `b${texts.size}`, text: numbered(text) };
      texts.set(text, entry);
    }
    return entry;
  };
  const sql: BaselineSql = {
    dialect: 'postgres',
    statements: 0,
    async all<T>(text: string, params: unknown[]) {
      sql.statements += 1;
      const { name, text: query } = named(text);
      return (await pool.query({ name, text: query, values: params })).rows as T[];
    },
    async run(text: string, params: unknown[]) {
      sql.statements += 1;
      const { name, text: query } = named(text);
      await pool.query({ name, text: query, values: params });
    },
    async close() {
      await pool.end();
    },
  };
  return sql;
}
