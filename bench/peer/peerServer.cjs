'use strict';
// PostGraphile 4 over the bench's PostgreSQL dataset: the peer of `npm run bench -- --driver
// postgres --peer postgraphile`. Plain CommonJS run from this folder, so it loads PostGraphile
// and its graphql 15 from bench/peer/node_modules (installed by `npm ci --prefix bench/peer`),
// never the gateway's graphql 16.
//
// Settings (from the bench): PEER_PORT, PEER_POSTGRES_URL, PEER_POSTGRES_SCHEMA,
// PEER_BASE_URL (the gateway's PUBLIC_URL, for absolute image URLs), PEER_POOL_SIZE.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { Pool } = require('pg');
const { postgraphile } = require('postgraphile');
const PgSimplifyInflectorPlugin = require('@graphile-contrib/pg-simplify-inflector');
const ConnectionFilterPlugin = require('postgraphile-plugin-connection-filter');

const port = Number(process.env.PEER_PORT);
const schema = process.env.PEER_POSTGRES_SCHEMA;
if (!port || !schema || !/^[a-z_][a-z0-9_]*$/.test(schema)) {
  throw new Error('PEER_PORT and PEER_POSTGRES_SCHEMA (a plain schema name) are needed');
}
const baseUrl = (process.env.PEER_BASE_URL ?? 'http://127.0.0.1').replace(/'/g, "''");

async function main() {
  const pool = new Pool({
    connectionString: process.env.PEER_POSTGRES_URL,
    // The gateway's pool on the bench (ensureDataset's poolSize), so neither has more connections.
    max: Number(process.env.PEER_POOL_SIZE ?? 10),
  });
  pool.on('connect', client => client.query(`SET search_path = ${schema}`));
  const functions = fs
    .readFileSync(path.join(__dirname, 'peerFunctions.sql'), 'utf8')
    .replace(/:base_url/g, baseUrl);
  const client = await pool.connect();
  try {
    await client.query(functions);
  } finally {
    client.release();
  }
  const middleware = postgraphile(pool, [schema], {
    // The connection filter plugin is how PostGraphile users filter a list beyond equality (the
    // listing's published_at <= now), keeping PostGraphile's keyset cursors on allArticles.
    appendPlugins: [PgSimplifyInflectorPlugin, ConnectionFilterPlugin],
    graphqlRoute: '/graphql',
    graphiql: false,
    disableQueryLog: true,
    dynamicJson: true,
    setofFunctionsContainNulls: false,
    simpleCollections: 'both',
    ignoreRBAC: true,
    retryOnInitFail: false,
    // Production settings: no stack traces in errors, the default statement cache.
    extendedErrors: [],
    showErrorStack: false,
  });
  let queries = 0;
  const server = http.createServer((req, res) => {
    if (req.url === '/ready' || req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ requests: queries }));
      return;
    }
    if (req.url === '/graphql') queries += 1;
    middleware(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1');
  const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
