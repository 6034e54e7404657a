import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { createToken, listTokens, revokeToken, TokenError, tokenScopes } from '../access/apiTokens';
import { type Config, loadConfig } from '../config';
import { runCommand } from './runCommand';
import { ensurePreviewSecret, PreviewSecretMissingError } from '../content/preview/previewSecret';
import { parsePreviewTtl, signPreviewToken } from '../content/preview/previewToken';
import { createDataSource, openDataSource } from '../db/createDataSource';
import { dialectOf, SqlParams } from '../db/dialect';
import { createLogger } from '../ops/logger';

const usage = `usage:
  npm run token -- create --name <name> --scope <scope>[,<scope>]
  npm run token -- list
  npm run token -- revoke <name>
  npm run token -- preview <slug> [--ttl 2h]
scopes: ${tokenScopes.join(', ')}
preview: a signed link for one article in any status, valid --ttl (90s, 30m, 2h, 7d; default 2h)`;

function option(args: string[], name: string): string | null {
  const index = args.indexOf(`--${name}`);
  if (index >= 0) return args[index + 1] ?? null;
  const inline = args.find(arg => arg.startsWith(`--${name}=`));
  return inline ? inline.slice(name.length + 3) : null;
}

/** npm run token -- create|list|revoke: API tokens; a new secret is printed once, as the last line. */
async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (!command || !['create', 'list', 'revoke', 'preview'].includes(command)) {
    console.error(usage);
    return 2;
  }
  const config = loadConfig();
  const db = createDataSource(config.database, { log: createLogger('warn') });
  await openDataSource(db, config.migrationsRun);
  try {
    if (command === 'preview') return await previewCommand(db, config, args);
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

/**
 * npm run token -- preview <slug> --ttl 2h: a preview token for one article, signed with
 * PREVIEW_SECRET (else, outside production, the key the gateway keeps in the database). The token
 * is printed as the last line, after the article and the expiry.
 */
async function previewCommand(db: DataSource, config: Config, args: string[]): Promise<number> {
  const slug = args.find(arg => !arg.startsWith('--') && arg !== option(args, 'ttl'));
  if (!slug) {
    console.error(usage);
    return 2;
  }
  const now = new Date();
  const secret = await ensurePreviewSecret(db, config, now);
  if (secret === null) {
    console.error(new PreviewSecretMissingError().message);
    return 1;
  }
  let ttlSeconds: number;
  try {
    ttlSeconds = parsePreviewTtl(option(args, 'ttl') ?? '2h');
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const params = new SqlParams(dialectOf(db));
  const rows: { internal_id: unknown; status: unknown }[] = await db.query(
    `SELECT internal_id, status FROM article WHERE slug = ${params.add(slug)}`,
    params.values,
  );
  if (!rows[0]) {
    console.error(`No article with slug ${JSON.stringify(slug)}.`);
    return 1;
  }
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  const token = signPreviewToken(secret, { articleId: Number(rows[0].internal_id), expiresAt });
  console.log(
    `Preview link for "${slug}" (${String(rows[0].status)}), valid until ${expiresAt.toISOString()}.`,
  );
  console.log('Anyone with it can read this one article: query article(slug:, previewToken:) with');
  console.log(token);
  return 0;
}

runCommand(main);
