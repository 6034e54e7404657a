/* global Buffer, console, process */
// A webhook consumer (README "Webhooks"): WEBHOOK_SECRET=whsec_... PORT=3000 node
// docs/examples/webhookReceiver.mjs, then register http://<this host>:3000/ for the events wanted.
import http from 'node:http';
import { Webhook } from 'standardwebhooks';

// The endpoint's secret (whsec_...), as `npm run webhooks -- add` printed it.
const webhook = new Webhook(process.env.WEBHOOK_SECRET);
const handled = new Set(); // webhook-id is the event's: the same on every retry

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', chunk => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8'); // verify the raw bytes, not re-serialized JSON
    let message;
    try {
      message = webhook.verify(body, req.headers); // signature and a timestamp within 5 minutes
    } catch {
      res.writeHead(400).end();
      return;
    }
    res.writeHead(204).end(); // answer at once: any 2xx acknowledges; anything else is retried
    if (handled.has(req.headers['webhook-id'])) return;
    handled.add(req.headers['webhook-id']);
    const { type, data } = message;
    console.log(JSON.stringify({ id: req.headers['webhook-id'], type, slug: data.article?.slug }));
  });
});
server.listen(Number(process.env.PORT ?? 3000), () => {
  console.log(`listening on http://localhost:${server.address().port}`);
});
