import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { unavailableOr } from './databaseUnavailable';
import { type Dialect, dialectOf } from './dialect';
import type { ReadReplicas } from './readReplicas';

type Row = Record<string, unknown>;

/** What read paths (loaders, listings, rankings, stats) run their SQL through. */
export interface Sql {
  readonly dialect: Dialect;
  /** Runs one read statement with its parameters; the rows as plain objects. */
  query<T = Row>(text: string, values?: readonly unknown[]): Promise<T[]>;
}

/** Where one request's statements are counted (the x-sql-statements header, the request log). */
export interface StatementCount {
  statements: number;
}

/**
 * Where a request's reads go: the primary until `replica` is set, which only a public read does
 * (README "Read replicas"): a query without preview, change feed or revisions, once its operation is
 * known (src/plugins/readRoutingPlugin.ts).
 */
export interface ReadRoute {
  replica: boolean;
}

/**
 * Statement texts a process prepares by name on PostgreSQL (each pooled connection prepares one
 * on first use): the hot reads are the first texts seen; a bound keeps IN-list variants from
 * growing every connection's prepared statements without end.
 */
const maxNamedStatements = 200;
/**
 * Text -> name, one map for the whole process: a name means one text on every connection of
 * every pool (pg refuses a name prepared with another text), whichever reader sends it.
 */
const statementNames = new Map<string, string>();

const onPrimary: ReadRoute = Object.freeze({ replica: false });

/** The route of a request that only reads public content (feeds, sitemaps). */
export const publicRead: ReadRoute = Object.freeze({ replica: true });

interface Sqlite3Statement {
  all(values: unknown[], callback: (error: Error | null, rows: Row[]) => void): void;
  finalize(callback?: (error: Error | null) => void): void;
}

interface Sqlite3Database {
  prepare(text: string, callback: (error: Error | null) => void): Sqlite3Statement;
}

interface BetterSqlite3Database {
  prepare(text: string): { all(...values: unknown[]): Row[] };
}

// Distinct statement texts kept prepared. IN lists of 1 to 100 keys make up to 100 texts per loader;
// 500 hold the hot ones of every page, and the least recently used is finalized past that.
const cacheSize = 500;

/**
 * A map of at most `cacheSize` prepared statements, least recently used first; `evicted` is
 * called with each one that falls out.
 */
class StatementCache<S> {
  private readonly entries = new Map<string, S>();

  constructor(private readonly evicted: (statement: S) => void) {}

  get(text: string, prepare: () => S): S {
    const cached = this.entries.get(text);
    if (cached !== undefined) {
      // Re-inserted: the map stays in order of last use.
      this.entries.delete(text);
      this.entries.set(text, cached);
      return cached;
    }
    const statement = prepare();
    this.entries.set(text, statement);
    if (this.entries.size > cacheSize) {
      const [oldestText, oldest] = this.entries.entries().next().value as [string, S];
      this.entries.delete(oldestText);
      this.evicted(oldest);
    }
    return statement;
  }

  forget(text: string, statement: S): void {
    if (this.entries.get(text) === statement) this.entries.delete(text);
  }

  clear(): S[] {
    const all = [...this.entries.values()];
    this.entries.clear();
    return all;
  }
}

/**
 * Runs read statements on the DataSource's own connection, keeping them prepared. TypeORM's
 * DataSource.query prepares, runs and finalizes each statement anew, which on the sqlite3 driver
 * is three trips through libuv's thread pool instead of one (README "Performance" has the
 * figures). Statements are counted through the DataSource's logger, as TypeORM's own are. Writes
 * and transactions stay with TypeORM. Reads run on the primary; only public reads (publicReads,
 * a request routed to a replica) go to the read replicas where DATABASE_READ_URLS names any.
 */
export class SqlReader implements Sql {
  readonly dialect: Dialect;
  /**
   * Public reads: on a read replica where DATABASE_READ_URLS is set (the primary where none
   * answers), else the same as query().
   */
  readonly publicReads: Sql;
  private readonly run: (text: string, values: unknown[]) => Promise<Row[]>;
  private readonly runPublic: (text: string, values: unknown[]) => Promise<Row[]>;
  private release: () => Promise<void> = async () => undefined;
  private closed = false;

  constructor(
    private readonly db: DataSource,
    private readonly replicas: ReadReplicas | null = null,
  ) {
    this.dialect = dialectOf(db);
    const driver = db.driver as unknown as { databaseConnection: unknown; master: Pool };
    switch (db.options.type) {
      case 'sqlite':
        this.run = this.sqlite3(driver.databaseConnection as Sqlite3Database);
        break;
      case 'better-sqlite3':
        this.run = this.betterSqlite3(driver.databaseConnection as BetterSqlite3Database);
        break;
      default: {
        // PostgreSQL: straight to TypeORM's pool, without a query runner made and released per
        // statement, as named prepared statements (parsed and planned once per pooled connection,
        // not at every request). IN lists make a text per length, so only the first
        // maxNamedStatements texts get a name; the rest are sent unnamed as before.
        this.run = async (text, values) => {
          let name = statementNames.get(text);
          if (name === undefined && statementNames.size < maxNamedStatements) {
            name = `cg_${statementNames.size}`;
            statementNames.set(text, name);
          }
          const rows = name
            ? await driver.master.query({ name, text, values })
            : await driver.master.query(text, values);
          return rows.rows;
        };
      }
    }
    this.runPublic = replicas?.size
      ? (text, values) => replicas.query(text, values, this.run)
      : this.run;
    this.publicReads = {
      dialect: this.dialect,
      query: (text, values) => this.execute(this.runPublic, text, values),
    };
  }

  /** Runs one read statement on the primary. */
  query<T = Row>(text: string, values: readonly unknown[] = []): Promise<T[]> {
    return this.execute(this.run, text, values);
  }

  private async execute<T>(
    run: (text: string, values: unknown[]) => Promise<Row[]>,
    text: string,
    values: readonly unknown[] = [],
  ): Promise<T[]> {
    if (this.closed) throw new Error('The database reader is closed.');
    this.db.logger.logQuery(text, values as unknown[]);
    const started = performance.now();
    try {
      return (await run(text, values as unknown[])) as T[];
    } catch (error) {
      this.db.logger.logQueryError(error as Error, text, values as unknown[]);
      // An unreachable database is SERVICE_UNAVAILABLE (503, Retry-After) for every read path.
      throw unavailableOr(error);
    } finally {
      // As TypeORM does for its own statements: slower than maxQueryExecutionTime is logged.
      const elapsed = performance.now() - started;
      const slow = this.db.options.maxQueryExecutionTime;
      if (slow && elapsed > slow) this.db.logger.logQuerySlow(Math.round(elapsed), text);
    }
  }

  /**
   * A view of this reader that also counts each statement into `count` (one request's), on the
   * primary or, while `route.replica` is set, as a public read.
   */
  counting(count: StatementCount, route: ReadRoute = onPrimary): Sql {
    return {
      dialect: this.dialect,
      query: (text, values) => {
        count.statements += 1;
        return this.execute(route.replica ? this.runPublic : this.run, text, values);
      },
    };
  }

  /**
   * Finalizes the prepared statements (SQLite does not close a connection that still has any)
   * and closes the read replicas' pools.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.release();
    await this.replicas?.close();
  }

  private sqlite3(connection: Sqlite3Database) {
    const finalize = (prepared: Promise<Sqlite3Statement>) =>
      prepared.then(
        // sqlite3 runs a finalize after the calls already queued on the statement.
        statement => new Promise<void>(resolve => statement.finalize(() => resolve())),
        () => undefined,
      );
    const cache = new StatementCache<Promise<Sqlite3Statement>>(finalize);
    this.release = async () => {
      await Promise.all(cache.clear().map(finalize));
    };
    return async (text: string, values: unknown[]) => {
      // A call queued on a statement whose prepare fails is never answered by sqlite3, so the
      // first call waits for the prepare; a failed one is forgotten and tried anew next time.
      const prepared = cache.get(
        text,
        () =>
          new Promise<Sqlite3Statement>((resolve, reject) => {
            const statement = connection.prepare(text, error =>
              error ? reject(error) : resolve(statement),
            );
          }),
      );
      let statement: Sqlite3Statement;
      try {
        statement = await prepared;
      } catch (error) {
        cache.forget(text, prepared);
        throw error;
      }
      return new Promise<Row[]>((resolve, reject) =>
        statement.all(values, (error, rows) => (error ? reject(error) : resolve(rows))),
      );
    };
  }

  private betterSqlite3(connection: BetterSqlite3Database) {
    // better-sqlite3 frees a statement when it is garbage collected; nothing to finalize.
    const cache = new StatementCache<ReturnType<BetterSqlite3Database['prepare']>>(() => undefined);
    this.release = async () => {
      cache.clear();
    };
    return async (text: string, values: unknown[]) =>
      cache.get(text, () => connection.prepare(text)).all(...values);
  }
}
