import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { CdnPurger } from './cdnPurger';
import { cloudflarePurge } from './cloudflarePurge';
import { fastlyPurge } from './fastlyPurge';
import { httpPurge } from './httpPurge';
import type { PurgeAdapter } from './purgeAdapter';
import type { PurgeSettings } from '../../config';

/** The adapter PURGE_ADAPTER names, with its settings (checked by loadConfig). */
export function purgeAdapterOf(settings: PurgeSettings): PurgeAdapter {
  switch (settings.adapter) {
    case 'http':
      return httpPurge(settings.url, settings.token);
    case 'fastly':
      return fastlyPurge(settings.url, settings.target ?? '', settings.token ?? '');
    case 'cloudflare':
      return cloudflarePurge(settings.url, settings.target ?? '', settings.token ?? '');
  }
}

/** The gateway's CDN purger, or null where PURGE_ADAPTER is off. */
export function createCdnPurger(
  settings: PurgeSettings | null,
  log: Logger,
  registry: Registry,
): CdnPurger | null {
  if (!settings) return null;
  return new CdnPurger(purgeAdapterOf(settings), { log, registry, retries: settings.retries });
}
