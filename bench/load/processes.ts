import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export interface Server {
  name: string;
  port: number;
  process: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/** A port that is free right now (the OS picks it; there is a small race, as with any such). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(server: Server, path: string, logFile: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  let exitCode: number | null | undefined;
  server.exited.then(code => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
      throw new Error(`${server.name} exited with ${exitCode} before it was ready:\n${tail}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(`${server.name} was not ready within 120 s; see ${logFile}`);
}

/** Starts a Node.js child whose output goes to a log file (written by the child, not relayed). */
export async function startNode(options: {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  port: number;
  readyPath: string;
  logFile: string;
  nodeArgs?: string[];
}): Promise<Server> {
  const log = fs.openSync(options.logFile, 'w');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
    env: options.env,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
  const server: Server = { name: options.name, port: options.port, process: child, exited };
  await waitUntilReady(server, options.readyPath, options.logFile);
  return server;
}

/** SIGTERM, then wait for a graceful exit (the gateway flushes views and closes the database). */
export async function stopServer(server: Server): Promise<number | null> {
  if (server.process.exitCode !== null) return server.process.exitCode;
  server.process.kill('SIGTERM');
  const timeout = new Promise<'timeout'>(resolve =>
    setTimeout(() => resolve('timeout'), 30_000).unref(),
  );
  const result = await Promise.race([server.exited, timeout]);
  if (result === 'timeout') {
    server.process.kill('SIGKILL');
    return server.exited;
  }
  return result;
}

/** Peak and current resident memory of a process in MB, from /proc (Linux). */
export function memoryOf(pid: number | undefined): { peakMb: number; rssMb: number } | null {
  if (!pid) return null;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return null;
  }
}
