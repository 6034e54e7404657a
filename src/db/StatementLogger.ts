import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Logger as TypeOrmLogger, QueryRunner } from 'typeorm';

/**
 * A statement's fingerprint for logs above trace level: the first 12 hex digits of the SHA-256 of
 * its text. The same statement always has the same one, so an error line is found again in a
 * trace-level log (which has the text) without putting SQL into error logs.
 */
export function sqlHash(query: string): string {
  return createHash('sha256').update(query).digest('hex').slice(0, 12);
}

/** The driver's error code (SQLSTATE on PostgreSQL, SQLITE_* on SQLite, E* for sockets). */
function driverCode(error: string | Error): string | undefined {
  if (typeof error === 'string') return undefined;
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  const found = code ?? driverError?.code;
  return typeof found === 'string' || typeof found === 'number' ? String(found) : undefined;
}

/**
 * A TypeORM logger that counts every SQL statement (in total, through onStatement; SqlReader counts
 * a request's own) and sends failures to the application log. Statement text is logged at trace
 * level only (README "Logs"); failed and slow statements are logged above it by their sqlHash and
 * the driver's error code. Parameters are never logged, since they may hold personal data.
 */
export class StatementLogger implements TypeOrmLogger {
  constructor(
    private readonly appLog: Logger,
    private readonly onStatement: () => void,
  ) {}

  logQuery(query: string, _parameters?: unknown[], _runner?: QueryRunner): void {
    this.onStatement();
    this.appLog.trace({ sql: query }, 'sql');
  }

  logQueryError(error: string | Error, query: string): void {
    const hash = sqlHash(query);
    this.appLog.error(
      { err: error, sqlHash: hash, code: driverCode(error) },
      'sql statement failed',
    );
    this.appLog.trace({ sql: query, sqlHash: hash }, 'sql statement failed: its text');
  }

  logQuerySlow(time: number, query: string): void {
    const hash = sqlHash(query);
    this.appLog.warn({ durationMs: time, sqlHash: hash }, 'slow sql statement');
    this.appLog.trace({ sql: query, sqlHash: hash }, 'slow sql statement: its text');
  }

  logSchemaBuild(message: string): void {
    this.appLog.debug(message);
  }

  logMigration(message: string): void {
    this.appLog.info(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.appLog.warn(String(message));
    else this.appLog.debug(String(message));
  }
}
