import pino from 'pino';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../src/config';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from './helpers/databases';
import { createDataSource, openDataSource } from '../src/db/createDataSource';
import { SqlParams } from '../src/db/dialect';
import { SqlReader } from '../src/db/SqlReader';
import { sqlHash } from '../src/db/StatementLogger';

describeEachDatabase(
  'SqlReader',
  dialect => {
    let database: TestDatabase;
    let db: DataSource;
    let reader: SqlReader;
    let statements = 0;
    const logLines: string[] = [];

    beforeEach(async () => {
      database = await createTestDatabase(dialect);
      statements = 0;
      db = createDataSource(loadConfig({ ...database.env }).database, {
        log: pino({ level: 'warn' }, { write: (line: string) => logLines.push(line) }),
        onStatement: () => (statements += 1),
      });
      await openDataSource(db, true);
      await db.query(
        "INSERT INTO tag (slug, name, sort_name, description) VALUES ('a', 'A', 'a', NULL), ('b', 'B', 'b', 'two')",
      );
      reader = new SqlReader(db);
      statements = 0;
    });
    afterEach(async () => {
      await reader.close();
      await db.destroy();
      await database.drop();
    });

    const tagsIn = (slugs: string[]) => {
      const params = new SqlParams(reader.dialect);
      return reader.query<{ slug: string; description: string | null }>(
        `SELECT slug, description FROM tag WHERE slug IN ${params.list(slugs)} ORDER BY slug`,
        params.values,
      );
    };

    it('answers the same statement with new parameters each time', async () => {
      expect(await tagsIn(['a', 'b'])).toEqual([
        { slug: 'a', description: null },
        { slug: 'b', description: 'two' },
      ]);
      expect(await tagsIn(['b', 'x'])).toEqual([{ slug: 'b', description: 'two' }]);
      expect(await tagsIn(['x', 'y'])).toEqual([]);
    });

    it('runs concurrent calls of one statement each with its own parameters', async () => {
      const slugs = Array.from({ length: 40 }, (_, i) => (i % 2 ? ['a', 'z'] : ['b', 'z']));
      const answers = await Promise.all(slugs.map(tagsIn));
      answers.forEach((rows, i) => expect(rows.map(row => row.slug)).toEqual([slugs[i][0]]));
    });

    it('counts every statement in the total and in the view of one request', async () => {
      const request = { statements: 0 };
      const counted = reader.counting(request);
      await counted.query('SELECT slug FROM tag');
      await counted.query('SELECT slug FROM tag');
      await reader.query('SELECT slug FROM tag');
      expect(request.statements).toBe(2);
      expect(statements).toBe(3);
    });

    // Errors are matched by message: better-sqlite3's native binding keeps the error class of the
    // first Jest realm that loaded it, so in a reused worker they are not this realm's Errors.
    it('fails a statement that cannot be prepared, and prepares it anew once it can be', async () => {
      const text = 'SELECT slug FROM later_table';
      await expect(reader.query(text)).rejects.toMatchObject({
        message: expect.stringMatching(/later_table/),
      });
      await expect(reader.query(text)).rejects.toMatchObject({
        message: expect.stringMatching(/later_table/),
      });
      await db.query('CREATE TABLE later_table (slug varchar(10))');
      await db.query("INSERT INTO later_table (slug) VALUES ('late')");
      expect(await reader.query(text)).toEqual([{ slug: 'late' }]);
    });

    it('sees a table dropped under a prepared statement as an error, not a hang', async () => {
      await db.query('CREATE TABLE doomed (slug varchar(10))');
      const text = 'SELECT slug FROM doomed';
      expect(await reader.query(text)).toEqual([]);
      await db.query('DROP TABLE doomed');
      await expect(reader.query(text)).rejects.toMatchObject({
        message: expect.stringMatching(/doomed/),
      });
    });

    it('keeps at most 500 statements prepared and still answers those it let go', async () => {
      // 600 distinct texts (IN lists of different lengths), then the first again.
      for (let n = 1; n <= 600; n += 1) {
        const rows = await tagsIn(Array.from({ length: n }, (_, i) => (i === 0 ? 'a' : `x${i}`)));
        expect(rows.map(row => row.slug)).toEqual(['a']);
      }
      expect(await tagsIn(['a'])).toHaveLength(1);
    });

    it('logs a statement slower than maxQueryExecutionTime, as TypeORM does', async () => {
      (db.options as { maxQueryExecutionTime?: number }).maxQueryExecutionTime = 1;
      const text =
        'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT COUNT(*) AS n FROM c';
      const rows = await reader.query<{ n: number }>(text);
      expect(Number(rows[0].n)).toBe(300000);
      const slow = logLines
        .map(line => JSON.parse(line))
        .find(entry => entry.msg === 'slow sql statement');
      // Above trace level a statement is named by its fingerprint, never by its text.
      expect(slow).toMatchObject({ level: 40, sqlHash: sqlHash(text) });
      expect(slow).not.toHaveProperty('sql');
      expect(slow.durationMs).toBeGreaterThan(1);
    });

    it('lets the database close once closed itself, and refuses further statements', async () => {
      await tagsIn(['a']);
      await reader.close();
      await expect(reader.query('SELECT 1')).rejects.toMatchObject({
        message: expect.stringMatching(/closed/),
      });
      await db.destroy();
      expect(db.isInitialized).toBe(false);
      // afterEach closes both again: a second close of each must be harmless.
      db = { destroy: async () => undefined } as unknown as DataSource;
    });
  },
  { betterSqlite3: true },
);
