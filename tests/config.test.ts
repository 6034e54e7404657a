import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';
import { heapLimitWarning } from '../src/ops/heapLimit';

describe('config', () => {
  it('has safe defaults for the embedded setup', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      production: false,
      port: 4000,
      database: { type: 'sqlite', database: path.resolve('data/content-gateway.sqlite') },
      migrationsRun: true,
      demoContent: true,
      introspection: true,
      sandbox: true,
      readingWordsPerMinute: { de: 179, en: 228 },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('turns introspection and Sandbox off in production unless enabled', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({
      introspection: false,
      sandbox: false,
    });
    expect(
      loadConfig({ NODE_ENV: 'production', INTROSPECTION: 'true', SANDBOX: '1' }),
    ).toMatchObject({
      introspection: true,
      sandbox: true,
    });
  });

  it('selects PostgreSQL by URL', () => {
    expect(
      loadConfig({ DATABASE_URL: 'postgres://u@db:5432/site', DATABASE_SCHEMA: 'cms' }).database,
    ).toEqual({
      type: 'postgres',
      url: 'postgres://u@db:5432/site',
      poolSize: 10,
      schema: 'cms',
      readUrls: [],
    });
  });

  it('reads DATABASE_READ_URLS as a list of PostgreSQL standbys, only with a PostgreSQL primary', () => {
    const primary = 'postgres://u@db:5432/site';
    expect(
      loadConfig({
        DATABASE_URL: primary,
        DATABASE_READ_URLS: ' postgres://u@replica-1:5432/site, postgresql://u@replica-2/site ,',
      }).database,
    ).toMatchObject({
      url: primary,
      readUrls: ['postgres://u@replica-1:5432/site', 'postgresql://u@replica-2/site'],
    });
    expect(() => loadConfig({ DATABASE_READ_URLS: 'postgres://u@replica-1/site' })).toThrow(
      'Invalid setting DATABASE_READ_URLS: read replicas need a postgres:// DATABASE_URL, got "sqlite:./data/content-gateway.sqlite".',
    );
    expect(() =>
      loadConfig({ DATABASE_URL: primary, DATABASE_READ_URLS: 'replica-1:5432' }),
    ).toThrow(
      'Invalid setting DATABASE_READ_URLS: expected comma-separated postgres://user@host:port/database URLs, got "replica-1:5432".',
    );
  });

  it.each([
    [
      'PORT',
      'abc',
      'Invalid setting PORT: expected a whole number between 0 and 65535, got "abc".',
    ],
    [
      'PORT',
      '70000',
      'Invalid setting PORT: expected a whole number between 0 and 65535, got "70000".',
    ],
    [
      'DATABASE_URL',
      'mysql://x',
      'Invalid setting DATABASE_URL: expected sqlite:<file>, better-sqlite3:<file>, sqlite::memory: or postgres://user@host:port/database, got "mysql://x".',
    ],
    ['NODE_ENV', 'staging', 'Invalid setting NODE_ENV:'],
    ['DEMO_CONTENT', 'maybe', 'Invalid setting DEMO_CONTENT: expected true or false, got "maybe".'],
    [
      'READING_WORDS_PER_MINUTE',
      'de=179',
      'Invalid setting READING_WORDS_PER_MINUTE: expected language:words pairs such as de:179,en:228, got "de=179".',
    ],
  ])('stops on a bad %s with one line naming it', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [key]: value })).toThrow(message);
    try {
      loadConfig({ [key]: value });
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });
});

describe('HTTP server settings', () => {
  it('defaults to timeouts and a connection cap that cut slow clients', () => {
    expect(loadConfig({}).http).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5000,
      maxConnections: 1000,
    });
    expect(
      loadConfig({
        HTTP_REQUEST_TIMEOUT_MS: '60000',
        HTTP_HEADERS_TIMEOUT_MS: '20000',
        HTTP_KEEP_ALIVE_TIMEOUT_MS: '65000',
        HTTP_MAX_CONNECTIONS: '5000',
      }).http,
    ).toEqual({
      requestTimeoutMs: 60_000,
      headersTimeoutMs: 20_000,
      keepAliveTimeoutMs: 65_000,
      maxConnections: 5000,
    });
  });

  it.each([
    ['HTTP_REQUEST_TIMEOUT_MS', '0', 'expected a whole number between 1000 and 3600000, got "0".'],
    ['HTTP_HEADERS_TIMEOUT_MS', '999', 'expected a whole number between 1000 and 3600000'],
    ['HTTP_KEEP_ALIVE_TIMEOUT_MS', '0', 'expected a whole number between 1 and 600000'],
    ['HTTP_MAX_CONNECTIONS', 'many', 'expected a whole number between 1 and 1000000'],
  ])('refuses %s=%s', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(`Invalid setting ${key}: ${message}`);
  });

  it('refuses a headers timeout longer than the request timeout, which node:http cannot take', () => {
    expect(() =>
      loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '5000', HTTP_HEADERS_TIMEOUT_MS: '10000' }),
    ).toThrow(
      'Invalid setting HTTP_HEADERS_TIMEOUT_MS: expected at most HTTP_REQUEST_TIMEOUT_MS (5000), got "10000".',
    );
  });
});

describe('HEAP_MAX_MB', () => {
  it('is the heap limit npm start passes to node, with the same default as the config', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const startDefault = /--max-old-space-size=\$\{HEAP_MAX_MB:-(\d+)\}/.exec(pkg.scripts.start);
    expect(startDefault).not.toBeNull();
    expect(loadConfig({}).heapMaxMb).toBe(Number(startDefault![1]));
    expect(loadConfig({ HEAP_MAX_MB: '512' }).heapMaxMb).toBe(512);
    expect(() => loadConfig({ HEAP_MAX_MB: '32' })).toThrow(ConfigError);
    expect(() => loadConfig({ HEAP_MAX_MB: 'lots' })).toThrow(/HEAP_MAX_MB/);
  });

  it('warns when the process runs with another heap limit than HEAP_MAX_MB', () => {
    const mb = 2 ** 20;
    // heap_size_limit is the old-space limit plus the young generation (48 MB on Node 20).
    expect(heapLimitWarning(256, 304 * mb)).toBeNull();
    expect(heapLimitWarning(256, 4144 * mb)).toMatch(
      /HEAP_MAX_MB is 256 but the V8 heap limit is 4144 MB: .*--max-old-space-size=256/,
    );
    expect(heapLimitWarning(512, 304 * mb)).not.toBeNull();
  });
});
