import 'reflect-metadata';
import { loadConfig } from '../config';
import { runCommand } from './runCommand';
import { describeReport, importContent, readContentFiles } from '../content/import/contentImport';
import { createDataSource, openDataSource } from '../db/createDataSource';
import { createLogger } from '../ops/logger';

export interface CommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleIo: CommandIo = { out: line => console.log(line), err: line => console.error(line) };

/**
 * npm run content:import -- <file or folder> [...]: imports Markdown files with front matter and
 * reports what it did. Returns the exit code: 0 when every file was imported, 1 when any was not
 * (nothing of a bad file is written), 2 for a usage error.
 */
export async function contentImportCommand(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CommandIo = consoleIo,
): Promise<number> {
  if (args.length === 0) {
    io.err('usage: npm run content:import -- <file or folder> [...]');
    return 2;
  }
  const config = loadConfig(env);
  let files;
  try {
    files = args.flatMap(target => readContentFiles(target));
  } catch (error) {
    io.err(`cannot read ${args.join(', ')}: ${(error as Error).message}`);
    return 2;
  }
  const db = createDataSource(config.database, { log: createLogger('warn') });
  await openDataSource(db, config.migrationsRun);
  try {
    const report = await importContent(db, files);
    io.out(`Read ${files.length} files. ${describeReport(report)}.`);
    for (const problem of report.problems) {
      io.err(`${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`);
    }
    if (report.problems.length) {
      io.err(`${report.problems.length} file(s) not imported; nothing of them was written.`);
      return 1;
    }
    return 0;
  } finally {
    await db.destroy();
  }
}

if (require.main === module) runCommand(() => contentImportCommand(process.argv.slice(2)));
