import type { PurgeAdapter } from './purgeAdapter';

/**
 * The generic adapter: POST `{"keys": [...]}` as JSON to PURGE_URL, with `Authorization: Bearer
 * PURGE_TOKEN` where set; any 2xx is success. For a Varnish, nginx or own purge service in front of
 * the gateway.
 */
export function httpPurge(url: string, token: string | null): PurgeAdapter {
  return {
    name: 'http',
    batchSize: 1000,
    call: keys => ({
      url,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ keys }),
    }),
  };
}
