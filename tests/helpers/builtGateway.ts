import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/**
 * The real entry points as `npm start` and the commands run them: dist/, compiled first by
 * scripts/buildIfStale.mjs if any source changed (once for all suites, which wait for each
 * other's build), for the suite that calls this (at file level); build() is that directory.
 */
export function useBuiltGateway(): { build: () => string } {
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(root, 'scripts/buildIfStale.mjs'), 'build'], {
      cwd: root,
      stdio: 'inherit',
    });
  }, 120_000);
  return { build: () => path.join(root, 'dist') };
}

function processEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  // The build lives outside the repository; its packages are the repository's.
  return { PATH: process.env.PATH ?? '', NODE_PATH: path.join(root, 'node_modules'), ...env };
}

/** Runs a compiled command (<build>/cli/<name>.js) as `npm run` would, and collects its output. */
export function runBuiltCommand(
  buildDir: string,
  name: string,
  args: string[],
  env: Record<string, string>,
) {
  const result = spawnSync(process.execPath, [path.join(buildDir, 'cli', `${name}.js`), ...args], {
    cwd: root,
    env: processEnv({ LOG_LEVEL: 'warn', DEMO_CONTENT: 'false', ...env }),
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `node <build>/index.js` and resolves with its port once it logs that it is ready. */
export function startGatewayProcess(
  buildDir: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number; output: string[] }> {
  const child = spawn(process.execPath, [path.join(buildDir, 'index.js')], {
    cwd: root,
    env: processEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line:\n${output.join('')}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output.push(String(chunk));
      const match = /ready at http:\/\/localhost:(\d+)/.exec(output.join(''));
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${output.join('')}`));
    });
  });
}
