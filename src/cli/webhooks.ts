import 'reflect-metadata';
import { loadConfig } from '../config';
import { runCommand } from './runCommand';
import { deliveryLog } from '../content/changes/webhooks/webhookDeliveries';
import {
  addEndpoint,
  listEndpoints,
  removeEndpoint,
  WebhookEndpointError,
} from '../content/changes/webhooks/webhookEndpoints';
import { WebhookEventsError } from '../content/changes/webhooks/webhookEvents';
import { isSealed, WebhookSecretError } from '../content/changes/webhooks/webhookSecret';
import { createDataSource, openDataSource } from '../db/createDataSource';
import { createLogger } from '../ops/logger';

const usage = `usage:
  npm run webhooks -- add <url> --events article.*,tag.* [--secret whsec_...]
  npm run webhooks -- list
  npm run webhooks -- remove <id>
  npm run webhooks -- deliveries <id>
events: article.published, article.updated, article.unpublished, article.deleted, tag.created,
  tag.updated, tag.deleted, author.created, author.updated, author.deleted; kind.* or * for many
add: the secret (made when --secret is left out) is printed once, as the last line`;

function option(args: string[], name: string): string | null {
  const index = args.indexOf(`--${name}`);
  if (index >= 0) return args[index + 1] ?? null;
  const inline = args.find(arg => arg.startsWith(`--${name}=`));
  return inline ? inline.slice(name.length + 3) : null;
}

/** The arguments that are not options or their values. */
function positional(args: string[]): string[] {
  return args.filter(
    (arg, index) => !arg.startsWith('--') && !(index > 0 && /^--[a-z]+$/.test(args[index - 1])),
  );
}

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

/** npm run webhooks -- add|list|remove|deliveries: webhook endpoints and their delivery log. */
async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (!command || !['add', 'list', 'remove', 'deliveries'].includes(command)) {
    console.error(usage);
    return 2;
  }
  const config = loadConfig();
  const db = createDataSource(config.database, { log: createLogger('warn') });
  await openDataSource(db, config.migrationsRun);
  try {
    if (command === 'add') {
      const [url] = positional(args);
      const events = option(args, 'events');
      if (!url || !events) {
        console.error(usage);
        return 2;
      }
      // The gateway must keep the secret to sign with it: sealed with WEBHOOK_SECRET_KEY, which
      // production requires; elsewhere it may be kept plain (said below).
      if (config.production && !config.webhooks.secretKey) {
        console.error(
          'production keeps endpoint secrets sealed: set WEBHOOK_SECRET_KEY (openssl rand -base64 32) for this command and the gateway.',
        );
        return 1;
      }
      const added = await addEndpoint(
        db,
        { url, events, secret: option(args, 'secret') },
        config.webhooks.secretKey,
        new Date(),
      );
      console.log(
        `Added webhook endpoint ${added.id}: ${added.url} for ${added.events.join(',')}.`,
      );
      console.log(
        config.webhooks.secretKey
          ? 'Its secret is stored sealed with WEBHOOK_SECRET_KEY.'
          : 'Its secret is stored unsealed (WEBHOOK_SECRET_KEY is not set; production requires it).',
      );
      console.log('Verify deliveries with this secret (standardwebhooks: new Webhook(secret)):');
      console.log(added.secret);
      return 0;
    }
    if (command === 'list') {
      const endpoints = await listEndpoints(db);
      if (endpoints.length === 0) console.log('No webhook endpoints.');
      for (const endpoint of endpoints) {
        const source = endpoint.configKey
          ? 'WEBHOOKS setting'
          : isSealed(endpoint.storedSecret ?? '')
            ? 'command, secret sealed'
            : 'command, secret unsealed';
        console.log(
          `${endpoint.id}\t${endpoint.url}\t${endpoint.events.join(',')}\t${source}\tcreated ${iso(endpoint.createdAt)}`,
        );
      }
      return 0;
    }
    const id = Number(positional(args)[0]);
    if (!Number.isInteger(id) || id <= 0) {
      console.error(usage);
      return 2;
    }
    if (command === 'remove') {
      if (!(await removeEndpoint(db, id))) {
        console.error(`No webhook endpoint ${id}.`);
        return 1;
      }
      console.log(`Removed webhook endpoint ${id} with its queued deliveries and their log.`);
      return 0;
    }
    const entries = await deliveryLog(db, id);
    if (entries.length === 0) console.log(`No deliveries for endpoint ${id}.`);
    for (const entry of entries) {
      const result =
        entry.attempt === null
          ? `not attempted yet, due ${iso(entry.nextAttemptAt)}`
          : `attempt ${entry.attempt} at ${iso(entry.attemptedAt)}: ${entry.statusCode ?? 'no answer'} in ${entry.durationMs} ms${entry.error ? ` (${entry.error})` : ''}`;
      console.log(`evt_${entry.eventId}\t${entry.eventType}\t${entry.status}\t${result}`);
    }
    return 0;
  } catch (error) {
    if (
      error instanceof WebhookEndpointError ||
      error instanceof WebhookEventsError ||
      error instanceof WebhookSecretError
    ) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await db.destroy();
  }
}

runCommand(main);
