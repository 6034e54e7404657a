import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..');

/**
 * scripts/buildIfStale.mjs on a project of its own: a copy of the script and the tsconfig files,
 * a two-file src/, and the repository's node_modules (for tsc).
 */
describe('scripts/buildIfStale.mjs', () => {
  let dir: string;
  const file = (relative: string) => path.join(dir, relative);
  const write = (relative: string, text: string) => {
    fs.mkdirSync(path.dirname(file(relative)), { recursive: true });
    fs.writeFileSync(file(relative), text);
  };
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [file('scripts/buildIfStale.mjs'), 'build', ...args], {
      cwd: dir,
      encoding: 'utf8',
    });
  /** When dist/index.js was last written: unchanged means tsc did not run. */
  const emittedAt = () => fs.statSync(file('dist/index.js')).mtimeMs;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'content-gateway-stale-'));
    for (const copied of ['scripts/buildIfStale.mjs', 'tsconfig.json', 'tsconfig.build.json']) {
      write(copied, fs.readFileSync(path.join(root, copied), 'utf8'));
    }
    write('package-lock.json', '{}\n');
    fs.symlinkSync(path.join(root, 'node_modules'), file('node_modules'), 'dir');
    write('src/index.ts', "import { greeting } from './greeting';\nconsole.log(greeting);\n");
    write('src/greeting.ts', "export const greeting = 'one';\n");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('compiles when there is no stamp, and not again while nothing changed', () => {
    fs.mkdirSync(file('dist/old'), { recursive: true });
    fs.writeFileSync(file('dist/old/left-over.js'), 'stale');
    expect(run().status).toBe(0);
    expect(fs.readFileSync(file('dist/greeting.js'), 'utf8')).toContain("'one'");
    // Without a stamp nothing in dist/ is trusted.
    expect(fs.existsSync(file('dist/old/left-over.js'))).toBe(false);
    const first = emittedAt();
    expect(run().status).toBe(0);
    expect(emittedAt()).toBe(first);
  });

  it('compiles again when a source changes, even one put back with an older mtime', () => {
    write('src/greeting.ts', "export const greeting = 'two';\n");
    const old = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(file('src/greeting.ts'), old, old);
    expect(run().status).toBe(0);
    expect(fs.readFileSync(file('dist/greeting.js'), 'utf8')).toContain("'two'");
  });

  it('deletes the outputs of a deleted source', () => {
    write('src/extra.ts', 'export const extra = 1;\n');
    expect(run().status).toBe(0);
    expect(fs.existsSync(file('dist/extra.js'))).toBe(true);
    fs.rmSync(file('src/extra.ts'));
    expect(run().status).toBe(0);
    expect(fs.existsSync(file('dist/extra.js'))).toBe(false);
    expect(fs.existsSync(file('dist/extra.js.map'))).toBe(false);
    expect(fs.existsSync(file('dist/index.js'))).toBe(true);
  });

  it('never takes a failed build for a fresh one', () => {
    write('src/greeting.ts', 'export const greeting: number = "three";\n');
    const failed = run();
    expect(failed.status).not.toBe(0);
    expect(failed.stdout + failed.stderr).toContain('TS2322');
    expect(fs.existsSync(file('dist/.build-stamp.json'))).toBe(false);
    // Still stale: the next command compiles (and fails) again rather than run the old code.
    expect(run().status).not.toBe(0);
    write('src/greeting.ts', "export const greeting = 'three';\n");
    expect(run().status).toBe(0);
    expect(fs.readFileSync(file('dist/greeting.js'), 'utf8')).toContain("'three'");
  });

  it('compiles from scratch when a tsconfig or the lock file changes', () => {
    fs.writeFileSync(file('dist/orphan.js'), 'stale');
    write('package-lock.json', '{ "lockfileVersion": 3 }\n');
    expect(run().status).toBe(0);
    expect(fs.existsSync(file('dist/orphan.js'))).toBe(false);
    expect(fs.existsSync(file('dist/index.js'))).toBe(true);
  });

  describe('with a lock, so builds started together compile one after the other', () => {
    const lock = () => {
      const key = crypto.createHash('sha256').update(fs.realpathSync(dir)).digest('hex');
      return path.join(os.tmpdir(), `content-gateway-build-${key.slice(0, 16)}.lock`);
    };
    const holdLock = (pid: number) => {
      fs.mkdirSync(lock());
      fs.writeFileSync(path.join(lock(), 'pid'), String(pid));
    };
    const runAsync = () =>
      new Promise<number | null>(resolve => {
        const child = spawn(process.execPath, [file('scripts/buildIfStale.mjs'), 'build'], {
          cwd: dir,
          stdio: 'ignore',
        });
        child.on('exit', code => resolve(code));
      });
    afterEach(() => fs.rmSync(lock(), { recursive: true, force: true }));

    it('waits while a live process holds the lock', async () => {
      holdLock(process.pid);
      let exited = false;
      const done = runAsync().then(code => {
        exited = true;
        return code;
      });
      await new Promise(resolve => setTimeout(resolve, 1500));
      expect(exited).toBe(false);
      fs.rmSync(lock(), { recursive: true, force: true });
      expect(await done).toBe(0);
      expect(fs.existsSync(lock())).toBe(false);
    });

    it('takes over a lock whose process is gone', async () => {
      const gone = spawnSync(process.execPath, ['-e', '']).pid as number;
      holdLock(gone);
      expect(await runAsync()).toBe(0);
      expect(fs.existsSync(lock())).toBe(false);
    });
  });

  it('compiles whatever the stamp says with --force (npm run build)', () => {
    const before = emittedAt();
    expect(run('--force').status).toBe(0);
    expect(emittedAt()).toBeGreaterThan(before);
  });
});
