import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type express from 'express';

/** Where the local explorer's files are served (express, since isGraphqlRequest takes only /graphql). */
export const explorerPath = '/graphql/explorer';

/** A file of an npm package the local explorer loads, served by the gateway itself. */
export interface ExplorerAsset {
  /** Its URL path: the package's version is in it, so it may be cached for a year. */
  url: string;
  file: string;
  contentType: string;
}

/** The URLs the explorer pages load: React and ReactDOM (UMD), GraphiQL's UMD build and its CSS. */
export interface ExplorerAssetUrls {
  react: string;
  reactDom: string;
  graphiql: string;
  graphiqlCss: string;
}

const javascript = 'text/javascript; charset=utf-8';

/** An installed package's directory and version (read from its package.json). */
function installed(name: string): { dir: string; version: string } {
  const manifest = require.resolve(`${name}/package.json`);
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: path.dirname(manifest), version };
}

function asset(
  pkg: { dir: string; version: string },
  name: string,
  file: string,
  contentType: string,
  servedAs = path.basename(file),
): ExplorerAsset {
  return {
    url: `${explorerPath}/assets/${name}@${pkg.version}/${servedAs}`,
    file: path.join(pkg.dir, file),
    contentType,
  };
}

/**
 * The explorer's files, from node_modules: React 18's and GraphiQL 4's UMD builds need no bundler
 * and no CDN. GraphiQL's script names its source map index.umd.js.map, so the map is served as that.
 */
export function explorerAssets(): { urls: ExplorerAssetUrls; all: ExplorerAsset[] } {
  const react = installed('react');
  const reactDom = installed('react-dom');
  const graphiql = installed('graphiql');
  const urls = {
    react: asset(react, 'react', 'umd/react.production.min.js', javascript),
    reactDom: asset(reactDom, 'react-dom', 'umd/react-dom.production.min.js', javascript),
    graphiql: asset(graphiql, 'graphiql', 'graphiql.min.js', javascript),
    graphiqlCss: asset(graphiql, 'graphiql', 'graphiql.min.css', 'text/css; charset=utf-8'),
  };
  const sourceMap = asset(
    graphiql,
    'graphiql',
    'graphiql.min.js.map',
    'application/json; charset=utf-8',
    'index.umd.js.map',
  );
  return {
    urls: {
      react: urls.react.url,
      reactDom: urls.reactDom.url,
      graphiql: urls.graphiql.url,
      graphiqlCss: urls.graphiqlCss.url,
    },
    all: [...Object.values(urls), sourceMap],
  };
}

const gzip = promisify(zlib.gzip);

interface LoadedAsset {
  raw: Buffer;
  gzipped: Buffer;
}

/**
 * Serves the assets under their versioned URLs with their Content-Type, cached for a year
 * (immutable: a new version is a new URL), gzipped where the client accepts it. Each file is read
 * and compressed once, on its first request. Other paths go on to the next handler (the 404).
 */
export function explorerAssetHandler(assets: ExplorerAsset[]): express.RequestHandler {
  const byUrl = new Map(assets.map(item => [item.url, item]));
  const loaded = new Map<string, Promise<LoadedAsset>>();
  const load = (item: ExplorerAsset) => {
    let known = loaded.get(item.url);
    if (!known) {
      known = fs.promises
        .readFile(item.file)
        .then(async raw => ({ raw, gzipped: await gzip(raw) }));
      // A failed read is not kept: the next request tries again.
      known.catch(() => loaded.delete(item.url));
      loaded.set(item.url, known);
    }
    return known;
  };
  return async (req, res, next) => {
    const item = byUrl.get(req.originalUrl.split('?')[0]);
    if (!item || (req.method !== 'GET' && req.method !== 'HEAD')) {
      next();
      return;
    }
    const { raw, gzipped } = await load(item);
    const gzipAccepted = req.acceptsEncodings('gzip', 'identity') === 'gzip';
    const body = gzipAccepted ? gzipped : raw;
    res.writeHead(200, {
      'content-type': item.contentType,
      'content-length': body.length,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      vary: 'Accept-Encoding',
      ...(gzipAccepted ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(body);
  };
}
