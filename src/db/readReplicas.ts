import pg from 'pg';
import type { Logger } from 'pino';
import type { DatabaseSettings } from '../config';
import { isDatabaseUnavailable } from './databaseUnavailable';

type Row = Record<string, unknown>;

/** How long a replica that could not be reached is left out before a read tries it again. */
export const replicaRetryMs = 5000;

// A replica that does not answer a connect within this is treated as down (the read goes on to the
// next one or the primary): a host that drops packets would otherwise hold the read for minutes.
const connectTimeoutMs = 2000;

// SQLSTATE 40001 on a hot standby: "canceling statement due to conflict with recovery" (replay
// had to remove rows the statement still needed). The primary answers it instead.
const recoveryConflict = '40001';

interface Replica {
  /** host:port/database, for logs: never the password. */
  name: string;
  pool: pg.Pool;
  /** Epoch ms until which the replica is left out; 0 while it answers. */
  downUntil: number;
}

/** The place of a URL without its credentials. */
function nameOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return 'replica';
  }
}

/**
 * The PostgreSQL streaming standbys of DATABASE_READ_URLS, each with its own pool (of
 * DATABASE_POOL_SIZE connections, the primary's search_path). Reads take them in turn; one that
 * cannot be reached (refused, reset, shut down, timed out) is left out for replicaRetryMs, logged
 * once, and its read goes on to the next one, the primary last, so a reader never sees a
 * replica's outage. A statement error (bad SQL) is the caller's, as on the primary.
 *
 * TypeORM's own `replication` option was not used: its PostgresDriver.connect() opens a
 * connection to every slave while the DataSource initializes and rejects if one is down (the
 * gateway would not start with a standby down), and it picks a slave at random with no notion of
 * health. These pools are lazy: a replica down at start costs nothing until a read tries it.
 */
export class ReadReplicas {
  private readonly replicas: Replica[];
  private turn = 0;

  constructor(
    urls: readonly string[],
    settings: { poolSize: number; schema: string },
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.replicas = urls.map(url => {
      const pool = new pg.Pool({
        connectionString: url,
        max: settings.poolSize,
        connectionTimeoutMillis: connectTimeoutMs,
        // Unqualified names in raw SQL resolve in the configured schema, as on the primary.
        options: `-c search_path=${settings.schema}`,
      });
      const replica: Replica = { name: nameOf(url), pool, downUntil: 0 };
      // An idle connection closed by the server (a standby stopping) must not crash the process;
      // the next read that fails on this replica marks it down.
      pool.on('error', error =>
        this.log.debug({ err: error, replica: replica.name }, 'read replica connection closed'),
      );
      return replica;
    });
  }

  get size(): number {
    return this.replicas.length;
  }

  /**
   * Runs one read on the next replica that is not left out, else on `primary`: the same rows,
   * possibly older by the replication lag (README "Read replicas").
   */
  async query(
    text: string,
    values: unknown[],
    primary: (text: string, values: unknown[]) => Promise<Row[]>,
  ): Promise<Row[]> {
    for (let tried = 0; tried < this.replicas.length; tried += 1) {
      const replica = this.replicas[this.turn % this.replicas.length];
      this.turn = (this.turn + 1) % this.replicas.length;
      if (replica.downUntil > this.now()) continue;
      try {
        const result = await replica.pool.query<Row>(text, values);
        if (replica.downUntil !== 0) this.markUp(replica);
        return result.rows;
      } catch (error) {
        if (isDatabaseUnavailable(error)) {
          this.markDown(replica, error);
          continue;
        }
        if ((error as { code?: unknown }).code === recoveryConflict) break;
        throw error;
      }
    }
    return primary(text, values);
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.map(replica => replica.pool.end()));
  }

  private markDown(replica: Replica, error: unknown): void {
    if (replica.downUntil === 0) {
      this.log.warn(
        { err: error, replica: replica.name, retryMs: replicaRetryMs },
        'read replica unreachable: its reads go to the other replicas or the primary',
      );
    }
    replica.downUntil = this.now() + replicaRetryMs;
  }

  private markUp(replica: Replica): void {
    replica.downUntil = 0;
    this.log.info({ replica: replica.name }, 'read replica answers again');
  }
}

/** The configured read replicas, or null (SQLite, or no DATABASE_READ_URLS). */
export function createReadReplicas(settings: DatabaseSettings, log: Logger): ReadReplicas | null {
  if (settings.type !== 'postgres' || settings.readUrls.length === 0) return null;
  return new ReadReplicas(settings.readUrls, settings, log);
}
