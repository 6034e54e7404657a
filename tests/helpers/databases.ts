import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { betterSqlite3Install, packageInstalled } from '../../src/config';

/** sqlite runs on the default sqlite3 driver; better-sqlite3 is the optional synchronous one. */
export type TestDialect = 'sqlite' | 'better-sqlite3' | 'postgres';

/** The databases this run tests against: SQLite always, PostgreSQL where TEST_DATABASE_URL is set. */
export const testDialects: TestDialect[] = process.env.TEST_DATABASE_URL
  ? ['sqlite', 'postgres']
  : ['sqlite'];

/**
 * Runs a describe block once per database. Without TEST_DATABASE_URL the PostgreSQL block is
 * registered as skipped with a name that says why, so the skip shows in Jest's output.
 */
export function describeEachDatabase(
  name: string,
  body: (dialect: TestDialect) => void,
  options: { betterSqlite3?: boolean } = {},
): void {
  // better-sqlite3 is opt-in: where it is not installed its block is listed as skipped, saying why.
  const betterSqlite3 = options.betterSqlite3 && packageInstalled('better-sqlite3');
  const dialects: TestDialect[] = betterSqlite3
    ? [...testDialects, 'better-sqlite3']
    : testDialects;
  describe.each(dialects)(`${name} [%s]`, dialect => body(dialect));
  if (options.betterSqlite3 && !betterSqlite3) {
    describe.skip(`${name} [better-sqlite3] (skipped: not installed; ${betterSqlite3Install})`, () => {
      it('runs only where the opt-in better-sqlite3 driver is installed', () => undefined);
    });
  }
  if (!process.env.TEST_DATABASE_URL) {
    describe.skip(`${name} [postgres] (skipped: TEST_DATABASE_URL is not set)`, () => {
      it('runs only against a real PostgreSQL', () => undefined);
    });
  }
}

export interface TestDatabase {
  /** Environment settings that point the gateway at this database. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A fresh, empty database: a temporary SQLite file, or a new schema in the PostgreSQL test database. */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  if (dialect !== 'postgres') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'content-gateway-test-'));
    return {
      env: { DATABASE_URL: `${dialect}:${path.join(dir, 'test.sqlite')}` },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const url = process.env.TEST_DATABASE_URL as string;
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  return {
    env: { DATABASE_URL: url, DATABASE_SCHEMA: schema, DATABASE_POOL_SIZE: '5' },
    drop: async () => {
      const admin = new Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

/**
 * A describe block that needs a real Redis: it runs where TEST_REDIS_URL is set and is otherwise
 * registered as skipped with a name that says why, as the PostgreSQL blocks are.
 */
export function describeWithRedis(name: string, body: (redisUrl: string) => void): void {
  const url = process.env.TEST_REDIS_URL;
  if (url) describe(`${name} [redis]`, () => body(url));
  else {
    describe.skip(`${name} [redis] (skipped: TEST_REDIS_URL is not set)`, () => {
      it('runs only against a real Redis', () => undefined);
    });
  }
}
