import 'reflect-metadata';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { runCommand } from './runCommand';
import { createDataSource, openDataSource } from '../db/createDataSource';
import { createLogger } from '../ops/logger';
import { importPluginViews, type ViewPlugin } from '../views/pluginViewImport';
import { importViewCounts } from '../views/viewImport';

const usage = `usage: npm run views:import -- <file.csv>                 (slug,date,views[,unique_visitors])
       npm run views:import -- --from wpp <file>         (WordPress Popular Posts: wp_popularpostssummary, CSV or SQL dump)
       npm run views:import -- --from top10 <file>       (Top 10: wp_top_ten_daily, CSV or SQL dump)
  --site <host>      the imported WordPress site the post ids belong to (needed with several)
  --blog-id <id>     Top 10 on a multisite network: the blog whose rows to take`;

/**
 * npm run views:import: historical daily counts, from the gateway's own slug CSV or from a
 * WordPress plugin's table (README "Most-read history from WordPress"). Stop the gateway's
 * writes or run it while it runs: the import is one transaction.
 */
async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: {
        from: { type: 'string', default: 'slugs' },
        site: { type: 'string' },
        'blog-id': { type: 'string' },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const from = values.from;
  if (positionals.length !== 1 || !['slugs', 'wpp', 'top10'].includes(from)) {
    console.error(usage);
    return 2;
  }
  const file = positionals[0];
  if (!fs.existsSync(file)) {
    console.error(`${file}: no such file.`);
    return 2;
  }
  const config = loadConfig();
  const db = createDataSource(config.database, { log: createLogger('warn') });
  await openDataSource(db, config.migrationsRun);
  try {
    if (from !== 'slugs') {
      const report = await importPluginViews(db, file, {
        plugin: from as ViewPlugin,
        site: values.site ?? null,
        blogId: values['blog-id'] ?? null,
      });
      for (const problem of report.problems) {
        // Line 0: about the whole file or database (the site, several blogs).
        console.error(`${file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`);
      }
      if (report.problems.length > 0) {
        console.error(`${report.problems.length} problem(s); nothing was imported.`);
        return 1;
      }
      for (const post of report.unknown) {
        console.warn(
          `${file}:${post.line}: post ${post.postId} is not an imported article (${post.rows} row(s), ${post.views} views skipped).`,
        );
      }
      console.log(
        `Imported ${report.days} daily counts (${report.views} views) from ${report.rows} rows of ${file} for ${report.site}; ${report.unknown.length} unknown post id(s) skipped.`,
      );
      return 0;
    }
    const report = await importViewCounts(db, fs.readFileSync(file, 'utf8'));
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
