import type express from 'express';
import type { Config } from '../config';

/** The characters that must not reach HTML unescaped. */
function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The page's only resources are its own inline styles: no script, image, font or frame, from
 * here or elsewhere.
 */
const contentSecurityPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The HTML of the endpoints page, for this configuration (what GET /graphql shows, the base URL). */
export function homePageHtml(config: Config): string {
  const base = escapeHtml(config.publicUrl ?? `http://localhost:${config.port || 4000}`);
  const explorer = config.sandbox
    ? 'In a browser it opens Apollo Sandbox, to write and run queries against this schema; offline, GraphiQL served by the gateway itself (also at /graphql/explorer).'
    : `In a browser it shows no explorer here (<code>SANDBOX</code> is off${config.production ? ', as in production' : ''}); introspection is ${config.introspection ? 'on' : 'off'}.`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>content-gateway</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.6rem; margin-bottom: 0.25rem; }
dt { font-weight: 600; margin-top: 1rem; }
dd { margin-left: 0; }
code, pre { font: 0.9rem ui-monospace, monospace; background: #f3f3f5; border-radius: 4px; }
code { padding: 0 0.2rem; }
pre { padding: 0.75rem; overflow-x: auto; }
@media (prefers-color-scheme: dark) { body { background: #161618; color: #e8e8ea; } code, pre { background: #26262a; } a { color: #8ab4f8; } }
</style>
</head>
<body>
<main>
<h1>content-gateway</h1>
<p>A GraphQL API for a publisher's site: articles with authors, tags, reading time and images;
listing, tag and author pages; the most-read ranking from counted views; analytics for jobs with a token.</p>
<h2>Endpoints</h2>
<dl>
<dt><a href="/graphql"><code>/graphql</code></a></dt>
<dd>The GraphQL API: <code>POST</code> with a JSON body <code>{"query": ..., "variables": ...}</code>
(or <code>GET</code> with <code>?query=</code> and the header <code>apollo-require-preflight: true</code>).
${explorer}</dd>
<dt><code>POST /views</code></dt>
<dd>Counts a read: <code>{"slug": "...", "visitorId": "..."}</code> as JSON or text/plain, what
<code>navigator.sendBeacon</code> sends. The same rules as the <code>recordView</code> mutation.</dd>
<dt><code>GET /exports/views?from=&amp;to=&amp;granularity=day&amp;format=csv</code></dt>
<dd>View counts as CSV or NDJSON rows, with a token that has <code>analytics:read</code>
(<code>Authorization: Bearer ...</code>; create one with <code>npm run token -- create</code>).</dd>
<dt><a href="/health"><code>/health</code></a>, <a href="/ready"><code>/ready</code></a></dt>
<dd>Liveness (the process answers) and readiness (the database answers; 503 while shutting down).</dd>
<dt><a href="/metrics"><code>/metrics</code></a></dt>
<dd>Prometheus metrics.</dd>
<dt><code>/media/...</code></dt>
<dd>The articles' images.</dd>
</dl>
<h2>A first query</h2>
<pre>curl ${base}/graphql -H 'content-type: application/json' \\
  -d '{"query": "query Latest { articles(first: 3) { edges { node { id title } } } }"}'</pre>
<h2>More</h2>
<p>The README of the repository explains each part, in its sections "First queries",
"Counting views", "Analytics jobs", "Browser clients (CORS)", "Settings" and "Running in production".</p>
</main>
</body>
</html>
`;
}

/**
 * GET / (and HEAD): a short page naming the endpoints, for whoever opens the gateway's address in
 * a browser. It is served in production too: everything it names is public by design and it shows
 * no setting but whether an explorer is on, which GET /graphql shows anyway.
 */
export function homePage(config: Config): express.RequestHandler {
  const html = homePageHtml(config);
  return (_req, res) => {
    res.setHeader('content-security-policy', contentSecurityPolicy);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', 'no-cache');
    res.type('html').send(html);
  };
}
