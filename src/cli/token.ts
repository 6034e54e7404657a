import 'reflect-metadata';
import { createToken, listTokens, revokeToken, TokenError, tokenScopes } from '../access/apiTokens';
import { loadConfig } from '../config';
import { runCommand } from './runCommand';
import { createDataSource, openDataSource } from '../db/createDataSource';
import { createLogger } from '../ops/logger';

const usage = `usage:
  npm run token -- create --name <name> --scope <scope>[,<scope>]
  npm run token -- list
  npm run token -- revoke <name>
scopes: ${tokenScopes.join(', ')}`;

function option(args: string[], name: string): string | null {
  const index = args.indexOf(`--${name}`);
  if (index >= 0) return args[index + 1] ?? null;
  const inline = args.find(arg => arg.startsWith(`--${name}=`));
  return inline ? inline.slice(name.length + 3) : null;
}

/** npm run token -- create|list|revoke: API tokens; a new secret is printed once, as the last line. */
async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (!command || !['create', 'list', 'revoke'].includes(command)) {
    console.error(usage);
    return 2;
  }
  const config = loadConfig();
  const db = createDataSource(config.database, { log: createLogger('warn') });
  await openDataSource(db, config.migrationsRun);
  try {
    if (command === 'create') {
      const name = option(args, 'name');
      const scope = option(args, 'scope') ?? option(args, 'scopes');
      if (!name || !scope) {
        console.error(usage);
        return 2;
      }
      const scopes = scope
        .split(',')
        .map(value => value.trim())
        .filter(Boolean);
      const secret = await createToken(db, name, scopes, new Date());
      console.log(`Created token "${name}" with ${scopes.join(', ')}.`);
      console.log('The secret is shown this once; send it as "Authorization: Bearer <secret>":');
      console.log(secret);
      return 0;
    }
    if (command === 'list') {
      const tokens = await listTokens(db);
      if (tokens.length === 0) console.log('No tokens.');
      for (const token of tokens) {
        const state = token.revokedAt ? `revoked ${token.revokedAt.toISOString()}` : 'active';
        const used = token.lastUsedAt ? token.lastUsedAt.toISOString() : 'never';
        console.log(
          `${token.name}\t${token.scopes.join(',')}\t${state}\tcreated ${token.createdAt.toISOString()}\tlast used ${used}`,
        );
      }
      return 0;
    }
    const name = args[0];
    if (!name) {
      console.error(usage);
      return 2;
    }
    if (!(await revokeToken(db, name, new Date()))) {
      console.error(`No active token named "${name}".`);
      return 1;
    }
    console.log(`Revoked token "${name}".`);
    return 0;
  } catch (error) {
    if (error instanceof TokenError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await db.destroy();
  }
}

runCommand(main);
