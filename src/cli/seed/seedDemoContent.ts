import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import {
  describeReport,
  importContent,
  readContentFiles,
} from '../../content/import/contentImport';

/** On an empty database, imports the demo site so that Sandbox shows living content at once. */
export async function seedDemoContent(
  db: DataSource,
  contentDir: string,
  log: Logger,
): Promise<boolean> {
  const [{ total }] = (await db.query('SELECT COUNT(*) AS total FROM article')) as {
    total: number;
  }[];
  if (Number(total) > 0) return false;
  const report = await importContent(db, readContentFiles(contentDir));
  for (const problem of report.problems) log.warn(problem, 'demo content file not imported');
  log.info({ report: describeReport(report) }, 'demo content imported');
  return true;
}
