import 'reflect-metadata';
import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../src/config';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from './helpers/databases';
import { createDataSource, openDataSource } from '../src/db/createDataSource';
import { SqlParams } from '../src/db/dialect';
import { SqlReader } from '../src/db/SqlReader';
import { sqlHash } from '../src/db/StatementLogger';
import { createLogger } from '../src/ops/logger';

// A value that stands for personal data in a statement's parameters.
const secretValue = 'leser-geheim-4711';

describeEachDatabase('SQL in the log', dialect => {
  let database: TestDatabase;
  let db: DataSource;
  let reader: SqlReader;
  let lines: Record<string, unknown>[] = [];
  let log: ReturnType<typeof createLogger>;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const config = loadConfig({ NODE_ENV: 'test', DEMO_CONTENT: 'false', ...database.env });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    log = createLogger('trace', sink);
    db = await openDataSource(createDataSource(config.database, { log }), true);
    reader = new SqlReader(db);
  });
  afterAll(async () => {
    await reader.close();
    await db.destroy();
    await database.drop();
  });
  beforeEach(() => {
    lines = [];
  });

  const failingStatement = () => {
    const params = new SqlParams(reader.dialect);
    return {
      text: `SELECT no_such_column FROM article WHERE slug = ${params.add(secretValue)}`,
      values: params.values,
    };
  };
  const aboveTrace = () => lines.filter(line => Number(line.level) > 10);

  it('logs a failed read by its sqlHash and driver code, its text at trace level only', async () => {
    const { text, values } = failingStatement();
    await expect(reader.query(text, values)).rejects.toThrow();
    const failure = aboveTrace().filter(line => line.msg === 'sql statement failed');
    expect(failure).toHaveLength(1);
    expect(failure[0].level).toBe(50);
    expect(failure[0].sqlHash).toBe(sqlHash(text));
    expect(failure[0].code).toBe(dialect === 'postgres' ? '42703' : 'SQLITE_ERROR');
    for (const line of aboveTrace()) {
      expect(line).not.toHaveProperty('sql');
      expect(JSON.stringify(line)).not.toContain('SELECT no_such_column');
      expect(JSON.stringify(line)).not.toContain(secretValue);
    }
    const traced = lines.filter(line => line.level === 10 && line.sqlHash === sqlHash(text));
    expect(traced.map(line => line.sql)).toEqual([text]);
  });

  it('logs a failed TypeORM statement and its QueryFailedError without query or parameters', async () => {
    const { text, values } = failingStatement();
    const error = await db.query(text, values).then(
      () => null,
      (failure: unknown) => failure,
    );
    // TypeORM puts both on the error; the log's serializer leaves them out.
    expect(error).toMatchObject({ name: 'QueryFailedError', query: text, parameters: values });
    log.error({ err: error }, 'unexpected error');
    const logged = aboveTrace();
    expect(logged.map(line => line.msg)).toEqual(['sql statement failed', 'unexpected error']);
    const serialized = logged[1].err as Record<string, unknown>;
    expect(serialized.type).toBe('QueryFailedError');
    expect(serialized).not.toHaveProperty('query');
    expect(serialized).not.toHaveProperty('parameters');
    for (const line of logged) {
      expect(line).not.toHaveProperty('sql');
      expect(JSON.stringify(line)).not.toContain('SELECT no_such_column');
      expect(JSON.stringify(line)).not.toContain(secretValue);
    }
  });

  it('logs a slow statement by its sqlHash at warn level', () => {
    const text = `SELECT 1 FROM article WHERE slug = '${secretValue}'`;
    db.logger.logQuerySlow(1500, text);
    expect(aboveTrace()).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'slow sql statement',
        durationMs: 1500,
        sqlHash: sqlHash(text),
      }),
    ]);
    expect(JSON.stringify(aboveTrace())).not.toContain(secretValue);
  });
});
