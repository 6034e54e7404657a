import 'reflect-metadata';
import fs from 'node:fs';
import { loadConfig } from '../config';
import { runCommand } from './runCommand';
import { createDataSource, openDataSource } from '../db/createDataSource';
import { createLogger } from '../ops/logger';
import { calendarOf } from '../views/siteCalendar';
import { importViewCounts } from '../views/viewImport';

/**
 * npm run views:import -- <file.csv>: historical daily counts (slug,date,views[,unique_visitors]).
 * Stop the gateway's writes or run it while it runs: the import is one transaction.
 */
async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    console.error(
      'usage: npm run views:import -- <file.csv>   (slug,date,views[,unique_visitors])',
    );
    return 2;
  }
  const text = fs.readFileSync(file, 'utf8');
  const config = loadConfig();
  const db = createDataSource(config.database, { log: createLogger('warn') });
  await openDataSource(db, config.migrationsRun);
  try {
    const report = await importViewCounts(db, text, calendarOf(config.views.timeZone));
    for (const problem of report.problems) {
      console.error(`${file}:${problem.line}: ${problem.message}`);
    }
    if (report.problems.length > 0) {
      console.error(`${report.problems.length} bad row(s); nothing was imported.`);
      return 1;
    }
    console.log(`Imported ${report.rows} daily counts (${report.views} views) from ${file}.`);
    return 0;
  } finally {
    await db.destroy();
  }
}

runCommand(main);
