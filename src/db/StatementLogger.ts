import type { Logger as TypeOrmLogger, QueryRunner } from 'typeorm';
import type { Logger } from 'pino';

/**
 * A TypeORM logger that counts every SQL statement (in total, through onStatement; SqlReader counts
 * a request's own) and sends failures to the application log. Statement text is logged at
 * debug level only; parameters never are, since they may hold personal data.
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
    this.appLog.error({ err: error, sql: query }, 'sql statement failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.appLog.warn({ durationMs: time, sql: query }, 'slow sql statement');
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
