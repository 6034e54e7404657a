import 'reflect-metadata';
import { once } from 'node:events';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { runCommand } from './runCommand';
import {
  redirectMapFormats,
  type RedirectMapFormat,
  redirectMapHeader,
  redirectMapLines,
  redirectMapPages,
} from '../content/redirects/redirectMap';
import { createDataSource, openDataSource } from '../db/createDataSource';
import { SqlReader } from '../db/SqlReader';
import { createLogger } from '../ops/logger';

const usage =
  'usage: npm run redirects:export -- [--format csv|nginx|apache] [--out <file>]   (stdout without --out)';

/**
 * npm run redirects:export: the redirect map of an imported site (README "Old URLs and
 * redirects") as CSV, an nginx map include or an Apache RewriteMap file, as GET
 * /exports/redirects gives it, for a web server to answer old URLs with 301 on its own.
 */
async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: { format: { type: 'string', default: 'csv' }, out: { type: 'string' } },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (!(redirectMapFormats as readonly string[]).includes(values.format)) {
    console.error(usage);
    return 2;
  }
  const format = values.format as RedirectMapFormat;
  const config = loadConfig();
  const db = createDataSource(config.database, { log: createLogger('warn') });
  await openDataSource(db, config.migrationsRun);
  const out = values.out ? fs.createWriteStream(values.out) : process.stdout;
  const write = async (chunk: string) => {
    if (chunk !== '' && !out.write(chunk)) await once(out, 'drain');
  };
  let rows = 0;
  const reader = new SqlReader(db);
  try {
    await write(redirectMapHeader(format));
    const pages = redirectMapPages(reader, new Date(), config.feeds.articleUrlPattern);
    for await (const page of pages) {
      rows += page.length;
      await write(redirectMapLines(page, format));
    }
  } finally {
    if (values.out) await new Promise(resolve => (out as fs.WriteStream).end(resolve));
    await reader.close();
    await db.destroy();
  }
  console.error(`${rows} old path(s) exported${values.out ? ` to ${values.out}` : ''}.`);
  return 0;
}

runCommand(main);
