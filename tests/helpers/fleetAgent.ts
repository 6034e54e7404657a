import http from 'node:http';
import { browserAgent } from './views';

/**
 * The HTTP client of a test that sends hundreds or thousands of requests at once, as a fleet of
 * browsers behind a few proxies would: at most 200 keep-alive connections, each reused. Opening
 * one socket per request instead sends more connects at once than the server's listen backlog
 * holds (511, Node's default), and the kernel drops or resets the rest (TcpExtListenOverflows).
 * Destroy it when done.
 */
export function fleetAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 200 });
}

/** POSTs JSON as a browser through the agent; resolves with the response body as text. */
export function postJson(agent: http.Agent, url: string, payload: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'user-agent': browserAgent },
      },
      response => {
        const chunks: Buffer[] = [];
        response.on('data', chunk => chunks.push(chunk as Buffer));
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(payload));
  });
}
