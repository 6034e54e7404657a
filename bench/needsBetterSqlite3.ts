import { betterSqlite3Install, packageInstalled } from '../src/config';

// Imported first by runBench.ts: the baseline and the dataset read SQLite with better-sqlite3 on
// every driver, and it is opt-in, so say what to run before a bare MODULE_NOT_FOUND would.
if (!packageInstalled('better-sqlite3')) {
  process.stderr.write(
    `npm run bench needs the better-sqlite3 package (its baseline and dataset use it), which is ` +
      `not installed: it is opt-in. Run \`${betterSqlite3Install}\` first.\n`,
  );
  process.exit(1);
}
