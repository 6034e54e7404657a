import type { PurgeAdapter } from './purgeAdapter';

/**
 * Fastly's purge by surrogate key, in batches: POST /service/{service_id}/purge with the API token
 * in Fastly-Key and `{"surrogate_keys": [...]}`, at most 256 keys a call (Fastly API reference,
 * "Purge multiple surrogate key tags"). A hard purge: a corrected headline must not be served
 * stale; answers carry stale-while-revalidate only where the setting asks for it.
 */
export function fastlyPurge(apiBase: string, serviceId: string, token: string): PurgeAdapter {
  const url = `${apiBase.replace(/\/+$/, '')}/service/${encodeURIComponent(serviceId)}/purge`;
  return {
    name: 'fastly',
    batchSize: 256,
    call: keys => ({
      url,
      headers: {
        'fastly-key': token,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ surrogate_keys: keys }),
    }),
  };
}
