import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { useBuiltGateway } from './helpers/builtGateway';

const root = path.resolve(__dirname, '..');
const { build } = useBuiltGateway();

interface Run {
  /** Resolves with the port of the ready line, or rejects with the output. */
  ready: Promise<number>;
  /** Resolves with the exit code and everything printed. */
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
  stop(): void;
}

/** `node <build>/index.js` in cwd, with only the given environment (and the packages' path). */
function startIn(cwd: string, env: Record<string, string>): Run {
  const child = spawn(process.execPath, [path.join(build(), 'index.js')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NODE_PATH: path.join(root, 'node_modules'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>(resolve =>
    child.once('exit', code => resolve({ code, stdout, stderr })),
  );
  const ready = new Promise<number>((resolve, reject) => {
    const look = () => {
      const match = /ready at http:\/\/localhost:(\d+)/.exec(stdout);
      if (match) resolve(Number(match[1]));
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += String(chunk);
      look();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    void exit.then(({ code }) => reject(new Error(`exited with ${code}:\n${stdout}${stderr}`)));
  });
  ready.catch(() => undefined);
  return { ready, exit, stop: () => child.kill('SIGTERM') };
}

/** A port nothing listens on just now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })));

/** An empty working directory, removed after the suite. */
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'content-gateway-cwd-'));
  tempDirs.push(dir);
  return dir;
}

const embedded = { DATABASE_URL: 'sqlite::memory:', DEMO_CONTENT: 'false', HOST: '127.0.0.1' };

describe('.env', () => {
  it('sets the port of `npm start` from .env in the working directory', async () => {
    const dir = tempDir();
    const port = await freePort();
    fs.writeFileSync(
      path.join(dir, '.env'),
      `# as copied from .env.example\nPORT=${port}\nDATABASE_URL=sqlite::memory:\nDEMO_CONTENT=false\nHOST=127.0.0.1\n`,
    );
    const run = startIn(dir, {});
    try {
      expect(await run.ready).toBe(port);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
    } finally {
      run.stop();
    }
    const { code, stdout } = await run.exit;
    expect(code).toBe(0);
    expect(stdout).toContain('settings read from .env');
  });

  it('lets an environment variable win over .env', async () => {
    const dir = tempDir();
    const [filePort, envPort] = [await freePort(), await freePort()];
    fs.writeFileSync(path.join(dir, '.env'), `PORT=${filePort}\nLOG_LEVEL=warn\n`);
    const run = startIn(dir, { ...embedded, PORT: String(envPort), LOG_LEVEL: 'info' });
    try {
      expect(await run.ready).toBe(envPort);
    } finally {
      run.stop();
    }
    expect((await run.exit).code).toBe(0);
  });
});

describe('.env in the commands', () => {
  it('is read by npm run token as by npm start', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '.env'), 'DATABASE_URL=sqlite:./from-env.sqlite\n');
    const result = spawnSync(process.execPath, [path.join(build(), 'cli', 'token.js'), 'list'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', NODE_PATH: path.join(root, 'node_modules') },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'from-env.sqlite'))).toBe(true);
  });
});

describe('a port in use', () => {
  it('stops the start with one line naming PORT and HOST, exit code 1, no stack', async () => {
    const blocker = net.createServer();
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const run = startIn(tempDir(), { ...embedded, PORT: String(port), LOG_LEVEL: 'warn' });
      const { code, stdout, stderr } = await run.exit;
      expect(code).toBe(1);
      expect(stderr).toBe(
        `Port ${port} is in use (127.0.0.1:${port}): set PORT to a free port (0 picks one), or HOST to another address, or stop the process listening there.\n`,
      );
      expect(stdout).not.toMatch(/EADDRINUSE|\n\s+at /);
    } finally {
      await new Promise(resolve => blocker.close(resolve));
    }
  });
});
