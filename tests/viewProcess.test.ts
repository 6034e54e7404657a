import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { browserAgent } from './helpers/views';
import { loadConfig } from '../src/config';
import { createGateway } from '../src/gateway';
import { importContent } from '../src/services/contentImport';

const root = path.resolve(__dirname, '..');
let buildDir: string;

// The real entry points, compiled as `npm run build` compiles them, into a directory of their own.
beforeAll(() => {
  buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'content-gateway-build-'));
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', buildDir],
    { cwd: root, stdio: 'inherit' },
  );
}, 120_000);
afterAll(() => fs.rmSync(buildDir, { recursive: true, force: true }));

function processEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  // The build lives outside the repository; its packages are the repository's.
  return { PATH: process.env.PATH ?? '', NODE_PATH: path.join(root, 'node_modules'), ...env };
}

/** Runs a compiled command (dist/cli/<name>.js) as `npm run` would, and collects its output. */
function runCommand(name: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [path.join(buildDir, 'cli', `${name}.js`), ...args], {
    cwd: root,
    env: processEnv({ LOG_LEVEL: 'warn', DEMO_CONTENT: 'false', ...env }),
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function startGatewayProcess(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [path.join(buildDir, 'index.js')], {
    cwd: root,
    env: processEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const match = /ready at http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]) });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${output}`));
    });
  });
}

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
    const { child, port } = await startGatewayProcess({
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
    const created = runCommand(
      'token',
      ['create', '--name', `job-${dialect}`, '--scope', 'analytics:read'],
      database.env,
    );
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const lines = created.stdout.trim().split('\n');
    const secret = lines[lines.length - 1];
    expect(secret).toMatch(/^cgt_[A-Za-z0-9_-]{43}$/);

    const listed = runCommand('token', ['list'], database.env);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`job-${dialect}\\tanalytics:read\\tactive`));
    expect(listed.stdout).not.toContain(secret);

    const duplicate = runCommand(
      'token',
      ['create', '--name', `job-${dialect}`, '--scope', 'analytics:read'],
      database.env,
    );
    expect(duplicate.status).toBe(1);
    const badScope = runCommand(
      'token',
      ['create', '--name', 'x', '--scope', 'admin'],
      database.env,
    );
    expect(badScope.status).toBe(1);
    expect(badScope.stderr).toContain('got "admin"');

    expect(runCommand('token', ['revoke', `job-${dialect}`], database.env).status).toBe(0);
    expect(runCommand('token', ['list'], database.env).stdout).toMatch(/\trevoked /);
    expect(runCommand('token', ['revoke', `job-${dialect}`], database.env).status).toBe(1);
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
    const first = runCommand('viewsImport', [good], database.env);
    expect(first).toMatchObject({ status: 0, stderr: '' });
    expect(first.stdout).toContain('Imported 1 daily counts (50 views)');
    // Idempotent: the same file again changes nothing.
    expect(runCommand('viewsImport', [good], database.env).status).toBe(0);
    expect(await storedViews()).toBe(before + 50);
    const failed = runCommand('viewsImport', [bad], database.env);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`${bad}:2: no article with slug "serie-009"`);
    expect(failed.stderr).toContain(`${bad}:3: expected a date as YYYY-MM-DD`);
    expect(await storedViews()).toBe(before + 50);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
