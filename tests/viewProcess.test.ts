import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBuiltCommand, startGatewayProcess, useBuiltGateway } from './helpers/builtGateway';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { browserAgent } from './helpers/views';
import { loadConfig } from '../src/config';
import { importContent } from '../src/content/import/contentImport';
import { createGateway } from '../src/gateway';

const { build } = useBuiltGateway();

describeEachDatabase('view durability and commands', dialect => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const gateway = await createGateway(
      loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_CONTENT: 'false', ...database.env }),
    );
    expect((await importContent(gateway.db, articleSeries(5), new Date())).problems).toEqual([]);
    await gateway.stop();
  });
  afterAll(() => database.drop());

  async function storedViews(): Promise<number> {
    const gateway = await createGateway(
      loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_CONTENT: 'false', ...database.env }),
    );
    try {
      const rows: { views: number | null }[] = await gateway.db.query(
        'SELECT SUM(views) AS views FROM article_view_total',
      );
      return Number(rows[0].views ?? 0);
    } finally {
      await gateway.stop();
    }
  }

  it('writes every buffered view on SIGTERM, so none is missing after a restart', async () => {
    const before = await storedViews();
    const { child, port } = await startGatewayProcess(build(), {
      HOST: '127.0.0.1',
      PORT: '0',
      DEMO_CONTENT: 'false',
      LOG_LEVEL: 'info',
      RATE_LIMIT_ENABLED: 'false',
      // The flusher's timer never fires during the test: every view is still in memory at SIGTERM.
      VIEW_FLUSH_INTERVAL_MS: '60000',
      ...database.env,
    });
    const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
    let counted = 0;
    for (let index = 0; index < 40; index += 1) {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': browserAgent },
        body: JSON.stringify({
          query: 'mutation ($input: RecordViewInput!) { recordView(input: $input) { counted } }',
          variables: { input: { slug: `serie-00${index % 5}`, visitorId: `leser-${index}` } },
        }),
      });
      const json = (await response.json()) as { data: { recordView: { counted: boolean } } };
      if (json.data.recordView.counted) counted += 1;
    }
    expect(counted).toBe(40);
    expect(await storedViews()).toBe(before);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await storedViews()).toBe(before + 40);
  }, 60_000);

  it('creates a token that prints its secret last, lists it and revokes it', async () => {
    const created = runBuiltCommand(
      build(),
      'token',
      ['create', '--name', `job-${dialect}`, '--scope', 'analytics:read'],
      database.env,
    );
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const lines = created.stdout.trim().split('\n');
    const secret = lines[lines.length - 1];
    expect(secret).toMatch(/^cgt_[A-Za-z0-9_-]{43}$/);

    const listed = runBuiltCommand(build(), 'token', ['list'], database.env);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`job-${dialect}\\tanalytics:read\\tactive`));
    expect(listed.stdout).not.toContain(secret);

    const duplicate = runBuiltCommand(
      build(),
      'token',
      ['create', '--name', `job-${dialect}`, '--scope', 'analytics:read'],
      database.env,
    );
    expect(duplicate.status).toBe(1);
    const badScope = runBuiltCommand(
      build(),
      'token',
      ['create', '--name', 'x', '--scope', 'admin'],
      database.env,
    );
    expect(badScope.status).toBe(1);
    expect(badScope.stderr).toContain('got "admin"');

    expect(
      runBuiltCommand(build(), 'token', ['revoke', `job-${dialect}`], database.env).status,
    ).toBe(0);
    expect(runBuiltCommand(build(), 'token', ['list'], database.env).stdout).toMatch(/\trevoked /);
    expect(
      runBuiltCommand(build(), 'token', ['revoke', `job-${dialect}`], database.env).status,
    ).toBe(1);
  });

  it('imports a CSV of daily views, reports bad rows by line and writes nothing of a bad file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'views-import-'));
    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, 'slug,date,views,unique_visitors\nserie-001,2024-05-01,50,40\n');
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(
      bad,
      'serie-001,2024-05-02,10\nserie-009,2024-05-02,10\nserie-001,2024-13-01,1\n',
    );
    const before = await storedViews();
    const first = runBuiltCommand(build(), 'viewsImport', [good], database.env);
    expect(first).toMatchObject({ status: 0, stderr: '' });
    expect(first.stdout).toContain('Imported 1 daily counts (50 views)');
    // Idempotent: the same file again changes nothing.
    expect(runBuiltCommand(build(), 'viewsImport', [good], database.env).status).toBe(0);
    expect(await storedViews()).toBe(before + 50);
    const failed = runBuiltCommand(build(), 'viewsImport', [bad], database.env);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`${bad}:2: no article with slug "serie-009"`);
    expect(failed.stderr).toContain(`${bad}:3: expected a date as YYYY-MM-DD`);
    expect(await storedViews()).toBe(before + 50);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
