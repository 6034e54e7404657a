import type { Server } from './processes';

/** Counted views the gateways say their guards admitted (gateway_views_recorded_total). */
export async function countedByGateways(servers: Server[]): Promise<number> {
  let total = 0;
  for (const server of servers) {
    const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    const match = /^gateway_views_recorded_total\{result="counted"\} (\d+)/m.exec(text);
    total += match ? Number(match[1]) : 0;
  }
  return total;
}

const browser =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * The dedupe across replicas, exactly: `pairs` visitor-article pairs, each sent as a beacon to
 * every replica in turn (10 pairs at a time). With a shared view memory each pair counts once.
 */
export async function viewsAcrossReplicas(
  servers: Server[],
  slugs: string[],
  pairs: number,
): Promise<{ sent: number; counted: number }> {
  const run = `exact-${Date.now()}`;
  let next = 0;
  let sent = 0;
  let counted = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let pair = next++; pair < pairs; pair = next++) {
        for (let turn = 0; turn < servers.length; turn += 1) {
          const server = servers[(pair + turn) % servers.length];
          const response = await fetch(`http://127.0.0.1:${server.port}/views`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'user-agent': browser },
            body: JSON.stringify({ slug: slugs[pair % slugs.length], visitorId: `${run}-${pair}` }),
          });
          sent += 1;
          if (((await response.json()) as { counted?: boolean }).counted) counted += 1;
        }
      }
    }),
  );
  return { sent, counted };
}
