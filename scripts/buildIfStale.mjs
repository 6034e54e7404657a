#!/usr/bin/env node
/**
 * Compiles with tsc only when an input changed since the last build, so `npm start`, `npm run
 * token` and the other commands start in well under a second when nothing changed.
 *
 *   node scripts/buildIfStale.mjs build         # tsconfig.build.json: src/ -> dist/
 *   node scripts/buildIfStale.mjs build bench   # and bench/tsconfig.json: src/, bench/ -> dist/bench/
 *   --force compiles whatever the stamps say (npm run build)
 *
 * The stamp (<outDir>/.build-stamp.json) holds a SHA-256 of every input: each source file tsc
 * reads under the target's folders, the tsconfig files, package-lock.json (dependency versions,
 * TypeScript's included) and this script. Content, not modification times, decides: a file put
 * back with an old mtime (git, cp -p, an editor's backup) still counts as changed. A source file
 * deleted since the last build has its outputs (.js, .js.map) deleted, so no command runs code
 * whose source is gone. Without a stamp, or when a tsconfig, the lock file or this script changed,
 * the out dir is emptied first. The stamp is removed before
 * tsc runs and written only after it succeeded, so an interrupted or failed build is never taken
 * for a fresh one. tsc's own --incremental was measured and not chosen: with nothing changed it
 * still takes 3.5 to 5 s here, as it loads and binds every declaration file of node_modules.
 */
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(script), '..');
const sourceFile = /\.(ts|tsx|mts|cts|json)$/;

const targets = {
  build: {
    tsconfig: 'tsconfig.build.json',
    rootDir: 'src',
    outDir: 'dist',
    folders: ['src'],
    configs: ['tsconfig.json', 'tsconfig.build.json'],
  },
  bench: {
    tsconfig: 'bench/tsconfig.json',
    rootDir: '.',
    outDir: 'dist/bench',
    folders: ['src', 'bench'],
    skip: ['bench/data', 'bench/results'],
    configs: ['tsconfig.json', 'bench/tsconfig.json'],
  },
};

/** Every file under folder (relative to the root, with forward slashes) that tsc may read. */
function sourcesUnder(folder, skip) {
  const found = [];
  const walk = relative => {
    if (skip.includes(relative)) return;
    const absolute = path.join(root, relative);
    if (!fs.existsSync(absolute)) return;
    for (const entry of fs.readdirSync(absolute, { withFileTypes: true })) {
      const child = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (sourceFile.test(entry.name)) found.push(child);
    }
  };
  walk(folder);
  return found;
}

function digest(relative) {
  return crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(root, relative)))
    .digest('hex');
}

/** The inputs of a target, each with the digest of its content. */
function inputsOf(target) {
  const files = [
    ...target.folders.flatMap(folder => sourcesUnder(folder, target.skip ?? [])),
    ...target.configs,
    'package-lock.json',
    path.relative(root, script).split(path.sep).join('/'),
  ];
  return Object.fromEntries(files.sort().map(file => [file, digest(file)]));
}

function readStamp(stampPath) {
  try {
    return JSON.parse(fs.readFileSync(stampPath, 'utf8')).inputs;
  } catch {
    return null;
  }
}

/** Deletes what tsc emitted for a source file that no longer exists. */
function removeOutputs(target, source) {
  if (!/\.(ts|tsx|mts|cts)$/.test(source) || source.endsWith('.d.ts')) return;
  const relative = path.relative(path.join(root, target.rootDir), path.join(root, source));
  const base = path.join(root, target.outDir, relative).replace(/\.(ts|tsx|mts|cts)$/, '');
  const extension = { '.mts': '.mjs', '.cts': '.cjs' }[path.extname(source)] ?? '.js';
  for (const output of [`${base}${extension}`, `${base}${extension}.map`]) {
    fs.rmSync(output, { force: true });
  }
}

/** Builds one target if it is stale; returns tsc's exit code, 0 when nothing had to be done. */
function buildIfStale(target, force) {
  const outDir = path.join(root, target.outDir);
  const stampPath = path.join(outDir, '.build-stamp.json');
  const inputs = inputsOf(target);
  const previous = force ? null : readStamp(stampPath);
  const changed = previous
    ? Object.keys(inputs).filter(file => previous[file] !== inputs[file])
    : Object.keys(inputs);
  const removed = previous ? Object.keys(previous).filter(file => !(file in inputs)) : [];
  if (previous && changed.length === 0 && removed.length === 0) return 0;
  // A new tsconfig, dependency or script may change where and what tsc emits: start clean.
  const inFolders = file => target.folders.some(folder => file.startsWith(`${folder}/`));
  const clean = !previous || !changed.every(inFolders);

  fs.rmSync(stampPath, { force: true });
  if (clean) fs.rmSync(outDir, { recursive: true, force: true });
  for (const file of removed) removeOutputs(target, file);
  const tsc = createRequire(script).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', target.tsconfig], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) return result.status ?? 1;
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(stampPath, `${JSON.stringify({ inputs }, null, 2)}\n`);
  return 0;
}

/**
 * Runs action while holding a lock on this checkout's builds, so that commands and test suites
 * started together (Jest runs two suites at once) compile once, one after the other, instead of
 * writing the same files at the same time. A lock whose process is gone is taken over.
 */
function withBuildLock(action) {
  const key = crypto.createHash('sha256').update(root).digest('hex').slice(0, 16);
  const lock = path.join(os.tmpdir(), `content-gateway-build-${key}.lock`);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (!holderAlive(lock)) fs.rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(pause, 0, 0, 100);
    }
  }
  try {
    return action();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function holderAlive(lock) {
  let pid;
  try {
    pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
  } catch {
    // Just made and its pid not written yet, or just removed: look again soon. A lock left without
    // a pid for seconds lost its process between the two steps.
    try {
      return Date.now() - fs.statSync(lock).mtimeMs < 10_000;
    } catch {
      return true;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function main() {
  const args = process.argv.slice(2);
  const names = args.filter(arg => arg !== '--force');
  if (names.length === 0 || names.some(name => !(name in targets))) {
    console.error(
      `usage: node scripts/buildIfStale.mjs ${Object.keys(targets).join('|')}... [--force]`,
    );
    return 2;
  }
  return withBuildLock(() => {
    for (const name of names) {
      const status = buildIfStale(targets[name], args.includes('--force'));
      if (status !== 0) return status;
    }
    return 0;
  });
}

process.exitCode = main();
