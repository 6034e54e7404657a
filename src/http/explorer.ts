import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import { explorerAssetHandler, explorerAssets } from './explorerAssets';
import {
  explorerNonce,
  localExplorerPage,
  localExplorerPolicy,
  sandboxLandingPage,
} from './explorerPage';
import { readExplorerTabs } from './explorerTabs';

export interface ExplorerOptions {
  /** The folder of example operations the explorer opens with (EXPLORER_QUERIES_DIR). */
  queriesDir: string;
}

/** Apollo Server's version: its package.json, two folders above its CommonJS entry (dist/cjs/). */
function apolloServerVersion(): string {
  const manifest = path.join(
    path.dirname(require.resolve('@apollo/server')),
    '..',
    '..',
    'package.json',
  );
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/**
 * The landing page of GET /graphql where SANDBOX is on: Apollo Sandbox, or the local GraphiQL
 * where Apollo's CDN cannot be reached (the browser decides; see sandboxLandingPage).
 */
export function explorerLandingPage({ queriesDir }: ExplorerOptions): () => Promise<string> {
  const { urls } = explorerAssets();
  const apolloVersion = apolloServerVersion();
  return async () =>
    sandboxLandingPage({
      tabs: await readExplorerTabs(queriesDir),
      assets: urls,
      nonce: explorerNonce(),
      apolloVersion,
    });
}

/**
 * The local explorer on express, mounted at explorerPath (/graphql/explorer): GraphiQL's page,
 * with a strict CSP, and its files (explorerAssets) under /graphql/explorer/assets/.
 */
export function explorerRoutes({ queriesDir }: ExplorerOptions): express.Router {
  const { urls, all } = explorerAssets();
  const router = express.Router({ strict: false });
  router.get('/', async (_req, res) => {
    const nonce = explorerNonce();
    const html = localExplorerPage({
      tabs: await readExplorerTabs(queriesDir),
      assets: urls,
      nonce,
    });
    res.set({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': localExplorerPolicy(nonce),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.send(html);
  });
  router.use('/assets', explorerAssetHandler(all));
  return router;
}
