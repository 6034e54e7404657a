import 'reflect-metadata';
import { loadConfig } from '../config';
import { createDataSource, openDataSource } from '../db/createDataSource';
import { describeReport, importContent, readContentFiles } from '../services/contentImport';
import { createLogger } from '../services/logger';

/** npm run content:import -- <file or folder>: imports Markdown files with front matter. */
async function main(): Promise<number> {
  const targets = process.argv.slice(2);
  if (targets.length === 0) {
    console.error('usage: npm run content:import -- <file or folder> [...]');
    return 2;
  }
  const config = loadConfig();
  const db = createDataSource(config.database, { log: createLogger('warn') });
  await openDataSource(db, config.migrationsRun);
  try {
    const files = targets.flatMap(target => readContentFiles(target));
    const report = await importContent(db, files);
    console.log(`Read ${files.length} files. ${describeReport(report)}.`);
    for (const problem of report.problems) {
      console.error(`${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`);
    }
    if (report.problems.length) {
      console.error(`${report.problems.length} file(s) not imported; nothing of them was written.`);
      return 1;
    }
    return 0;
  } finally {
    await db.destroy();
  }
}

main().then(
  code => process.exit(code),
  error => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
