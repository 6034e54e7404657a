import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { betterSqlite3Install } from '../src/config';

const root = path.join(__dirname, '..');
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));

// A Node process in which better-sqlite3 cannot be found, as after a plain `npm install`: the
// preload makes Node's resolver refuse that one name and compiles our .ts files on the fly.
const preload = `
const fs = require('node:fs');
const Module = require('node:module');
const ts = require(${JSON.stringify(require.resolve('typescript'))});
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'better-sqlite3') {
    const error = new Error("Cannot find module 'better-sqlite3'");
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};
`;

function withoutBetterSqlite3(script: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'content-gateway-optin-'));
  fs.writeFileSync(path.join(dir, 'preload.js'), preload);
  const result = spawnSync(
    process.execPath,
    ['--require', path.join(dir, 'preload.js'), '-e', script],
    { cwd: root, encoding: 'utf8' },
  );
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

describe('better-sqlite3, the opt-in driver', () => {
  it('is left out of a plain npm install: no dependency of any kind, not in the lock file', () => {
    // Not even an optional peer: npm would then take `npm install better-sqlite3` as a change of
    // that peer's range and install nothing (tried with npm 11.19).
    for (const field of [
      'dependencies',
      'devDependencies',
      'optionalDependencies',
      'peerDependencies',
    ]) {
      expect({ field, listed: Boolean(packageJson[field]?.['better-sqlite3']) }).toEqual({
        field,
        listed: false,
      });
    }
    expect(lock.packages['node_modules/better-sqlite3']).toBeUndefined();
    // Its types stay: they build nothing, and tsc needs them for SqlReader and the bench.
    expect(packageJson.devDependencies['@types/better-sqlite3']).toBeDefined();
  });

  it('is installed in CI by the command the messages name', () => {
    expect(betterSqlite3Install).toMatch(/^npm install --no-save better-sqlite3@\d+\.\d+\.\d+$/);
    const ci = fs.readFileSync(path.join(root, '.ci/run'), 'utf8');
    expect(ci).toContain(`${betterSqlite3Install} --no-audit --no-fund`);
    expect(ci).toContain('"[better-sqlite3]"');
  });

  it('reviews the install script of every package that has one (npm allowScripts)', () => {
    const withScripts = Object.entries(
      lock.packages as Record<string, { hasInstallScript?: boolean }>,
    )
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([key]) => key.replace(/^.*node_modules\//, ''));
    expect(withScripts.length).toBeGreaterThan(0);
    for (const name of [...withScripts, 'better-sqlite3']) {
      expect({ name, reviewed: name in packageJson.allowScripts }).toEqual({
        name,
        reviewed: true,
      });
    }
  });

  it('stops a start that asks for it where it is absent, naming the setting and the command', () => {
    const result = withoutBetterSqlite3(`
      const { loadConfig } = require('./src/config.ts');
      try { loadConfig({ DATABASE_URL: 'better-sqlite3:./data/x.sqlite' }); console.log('loaded'); }
      catch (error) { console.log(error.name + ': ' + error.message); }
      console.log(loadConfig({ DATABASE_URL: 'sqlite:./data/x.sqlite' }).database.driver);
    `);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      'ConfigError: Invalid setting DATABASE_URL: "better-sqlite3:./data/x.sqlite" asks for the ' +
        'better-sqlite3 driver, which is not installed (it is opt-in). Run ' +
        `\`${betterSqlite3Install}\`, or use sqlite:./data/x.sqlite (the default sqlite3 driver).\n` +
        'sqlite3\n',
    );
  });

  it('stops the bench where it is absent, saying what to run', () => {
    const result = withoutBetterSqlite3("require('./bench/needsBetterSqlite3.ts');");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Run \`${betterSqlite3Install}\` first.`);
  });
});
