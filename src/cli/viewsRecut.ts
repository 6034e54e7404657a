import 'reflect-metadata';
import { loadConfig } from '../config';
import { runCommand } from './runCommand';
import { createDataSource, openDataSource } from '../db/createDataSource';
import { createLogger } from '../ops/logger';
import { calendarOf } from '../views/siteCalendar';
import { recutDays } from '../views/viewRecut';

/**
 * npm run views:recut [-- --from <zone>]: after SITE_TIME_ZONE changed, compacts what the hourly
 * retention holds beyond it into days of the new zone and files the daily rows cut in the old one
 * (--from, UTC by default) under the same dates in the new one, for the views and for their
 * sources and engagement. Runs in one transaction, also
 * while the gateway runs.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (!(args.length === 0 || (args.length === 2 && args[0] === '--from'))) {
    console.error('usage: npm run views:recut [-- --from <IANA zone the days were cut in, UTC>]');
    return 2;
  }
  const config = loadConfig();
  // The old zone goes through the same check as the setting.
  let from: string;
  try {
    from = loadConfig({ SITE_TIME_ZONE: args[1] ?? 'UTC' }).views.timeZone;
  } catch (error) {
    console.error(
      `--from: ${(error as Error).message.replace(/^Invalid setting SITE_TIME_ZONE: /, '')}`,
    );
    return 2;
  }
  const db = createDataSource(config.database, { log: createLogger('warn') });
  await openDataSource(db, config.migrationsRun);
  try {
    const report = await recutDays(
      db,
      calendarOf(config.views.timeZone),
      calendarOf(from),
      Date.now(),
      config.views.hourlyRetentionDays,
    );
    console.log(
      `Daily rollups are cut in ${config.views.timeZone}: ${report.daysMoved} days cut in ${from} (${report.rowsMoved} rows; ${report.detailRowsMoved} rows of sources and engagement) moved to their dates' midnights.`,
    );
    return 0;
  } finally {
    await db.destroy();
  }
}

runCommand(main);
