/* global console, fetch, process */
// A server-rendered front end that reports its reader's view (README "Counting views").
// GATEWAY_URL=http://localhost:4000 PORT=3000 node docs/examples/ssr-view.mjs, then open
// http://localhost:3000/articles/fuehren-ohne-titel. Needs Node 18 or later (fetch).
import http from 'node:http';

const gateway = process.env.GATEWAY_URL ?? 'http://localhost:4000';

/** Reports a view of `slug` as the reader's: their user agent and address, not this server's. */
export async function reportView(req, slug) {
  const headers = {
    'content-type': 'application/json',
    // Without it the gateway sees this server's "node", a bot, and counts nothing.
    'user-agent': req.headers['user-agent'] ?? '',
    // The gateway believes it only from an address its TRUST_PROXY lists. Behind a proxy of
    // your own, send the reader's address as your framework resolves it (express: req.ip).
    'x-forwarded-for': req.socket.remoteAddress ?? '',
  };
  // A prerender or prefetch is not a read: pass the browser's word on to the gateway.
  const purpose = req.headers['sec-purpose'] ?? req.headers['purpose'];
  if (purpose) headers['sec-purpose'] = purpose;
  const response = await fetch(`${gateway}/views`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ slug }),
  });
  return response.json();
}

const server = http.createServer((req, res) => {
  const slug = /^\/articles\/([a-z0-9-]+)$/.exec(req.url ?? '')?.[1];
  if (!slug) return res.writeHead(404).end();
  // Render the page (here only its title), then report the view: the reader never waits for it.
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><title>${slug}</title><h1>${slug}</h1>`);
  reportView(req, slug).then(
    answer => console.log(JSON.stringify({ slug, ...answer })),
    error => console.error(`view of ${slug} not reported: ${error.message}`),
  );
});
server.listen(Number(process.env.PORT ?? 3000), () => {
  console.log(`listening on http://localhost:${server.address().port}`);
});
