import type { PurgeAdapter } from './purgeAdapter';

/**
 * Cloudflare's purge by cache tag: POST /zones/{zone_id}/purge_cache with `Authorization: Bearer`
 * (an API token with the Cache Purge permission) and `{"tags": [...]}`, 30 tags a call (the limit
 * on every plan; some allow 100). Cloudflare answers `{"success": false, "errors": [...]}` for a
 * refused purge, sometimes with status 200: that is a failure too.
 */
export function cloudflarePurge(apiBase: string, zoneId: string, token: string): PurgeAdapter {
  const url = `${apiBase.replace(/\/+$/, '')}/zones/${encodeURIComponent(zoneId)}/purge_cache`;
  return {
    name: 'cloudflare',
    batchSize: 30,
    call: keys => ({
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tags: keys }),
    }),
    accepted: body => {
      try {
        return (JSON.parse(body) as { success?: unknown }).success === true;
      } catch {
        return false;
      }
    },
  };
}
