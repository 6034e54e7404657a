import { randomBytes } from 'node:crypto';
import type { ExplorerAssetUrls } from './explorerAssets';
import type { ExplorerTab } from './explorerTabs';

/** Apollo's embeddable Sandbox, as ApolloServerPluginLandingPageLocalDefault loads it (version v2). */
export const sandboxOrigins = {
  script: 'https://embeddable-sandbox.cdn.apollographql.com',
  frame: 'https://sandbox.embed.apollographql.com',
};
const sandboxScript = `${sandboxOrigins.script}/v2/embeddable-sandbox.umd.production.min.js`;

/**
 * How long the landing page waits for Sandbox's script before it shows the local GraphiQL. Offline
 * the script fails at once (no DNS); a network that drops packets instead would keep the page blank
 * until the browser gives up, a minute or more.
 */
export const sandboxTimeoutMs = 4000;

export interface ExplorerPageOptions {
  /** The example operations GraphiQL opens with. */
  tabs: ExplorerTab[];
  assets: ExplorerAssetUrls;
  /** The page's CSP nonce (see explorerNonce). */
  nonce: string;
}

export interface SandboxLandingOptions extends ExplorerPageOptions {
  /** Apollo Server's version, which Sandbox is told as its runtime (as Apollo's own page does). */
  apolloVersion: string;
}

/** A fresh nonce for one page's inline script and style. */
export function explorerNonce(): string {
  return randomBytes(16).toString('base64');
}

/** JSON inside a <script> element: no `<`, `>` or `&` that could end it or start a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026');
}

/**
 * The local explorer's CSP: its own scripts and styles and the nonce'd inline ones, requests to
 * its own origin only, nothing framed, no framing (GraphiQL's CSS embeds its fonts and icons as
 * data: URLs).
 */
export function localExplorerPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The landing page's CSP: Apollo's own for Sandbox (its script and style origin, its frame; no
 * connect-src, since Sandbox sends the operations from this page), and the local GraphiQL's files.
 * In a <meta> element, as Apollo sends it, so frame-ancestors is left out (a meta CSP ignores it).
 */
export function sandboxLandingPolicy(nonce: string): string {
  return [
    `script-src 'self' 'nonce-${nonce}' ${sandboxOrigins.script}`,
    `style-src 'self' 'nonce-${nonce}' ${sandboxOrigins.script}`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    `frame-src ${sandboxOrigins.frame}`,
    "object-src 'none'",
    "base-uri 'none'",
  ].join('; ');
}

// Browser code, ES2017, no build step. startGraphiQL renders GraphiQL (its UMD build: the globals
// React, ReactDOM and GraphiQL) with the example operations as its first tabs; GraphiQL keeps the
// tabs a developer has open in localStorage and opens the examples only where there are none.
const startGraphiQL = `
// Radix's dialogs (react-remove-scroll) add a <style> element with the nonce of this global, which
// the CSP then lets through.
window.__webpack_nonce__ = document.currentScript && document.currentScript.nonce;
function startGraphiQL(target, config) {
  var props = { fetcher: GraphiQL.createFetcher({ url: config.endpoint }) };
  if (config.tabs.length) props.defaultTabs = config.tabs;
  // GraphiQL 4.1 opens defaultTabs but starts its variables editor empty (it takes only the first
  // tab's query), which then empties that tab's variables: they are given once more, where
  // GraphiQL has no tabs of its own yet (it would add a tab for them otherwise).
  var stored = null;
  try { stored = window.localStorage.getItem('graphiql:tabState'); } catch (error) {}
  if (!stored && config.tabs.length && config.tabs[0].variables) props.variables = config.tabs[0].variables;
  target.textContent = '';
  ReactDOM.createRoot(target).render(
    React.createElement(GraphiQL, props, React.createElement(GraphiQL.Logo, null, config.title)),
  );
  document.documentElement.dataset.explorer = 'graphiql';
}`;

// The landing page: Sandbox's script is added by script, so that its failure (onerror) or its
// silence (the timeout) can be seen; then GraphiQL's files are loaded from the gateway, in order.
const chooseExplorer = `
(function () {
  var config = JSON.parse(document.getElementById('explorer-config').textContent);
  var target = document.getElementById('explorer');
  var settled = false;
  var timer;
  function load(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) { element[name] = attributes[name]; });
      element.onload = resolve;
      element.onerror = function () { reject(new Error('could not load ' + (attributes.src || attributes.href))); };
      document.head.appendChild(element);
    });
  }
  function local(reason) {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    target.querySelector('p').textContent = reason + ' Loading GraphiQL from the gateway…';
    var assets = config.assets;
    load('link', { rel: 'stylesheet', href: assets.graphiqlCss })
      .then(function () { return load('script', { src: assets.react, async: false }); })
      .then(function () { return load('script', { src: assets.reactDom, async: false }); })
      .then(function () { return load('script', { src: assets.graphiql, async: false }); })
      .then(function () { startGraphiQL(target, config); })
      .catch(function (error) { target.querySelector('p').textContent = 'The explorer ' + error.message + '.'; });
  }
  function sandbox() {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    try {
      target.textContent = '';
      new window.EmbeddedSandbox(Object.assign({}, config.sandbox, { target: '#explorer', initialEndpoint: window.location.href }));
      document.documentElement.dataset.explorer = 'sandbox';
    } catch (error) {
      settled = false;
      target.innerHTML = '<p></p>';
      local('Apollo Sandbox failed to start.');
    }
  }
  timer = setTimeout(function () { local('Apollo Sandbox did not load within ' + config.timeoutMs / 1000 + ' s.'); }, config.timeoutMs);
  load('script', { src: config.sandboxScript, async: true }).then(sandbox, function () {
    local('Apollo Sandbox cannot be reached (offline?).');
  });
})();`;

function page(options: {
  title: string;
  nonce: string;
  head: string;
  body: string;
  script: string;
}): string {
  const { title, nonce, head, body, script } = options;
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <link rel="icon" href="data:," />
    ${head}
    <title>${title}</title>
    <style nonce="${nonce}">
      html, body { height: 100%; margin: 0; overflow: hidden; }
      #explorer { width: 100vw; height: 100vh; }
      #explorer > p { font: 16px/1.5 system-ui, sans-serif; padding: 1em; margin: 0; }
      iframe { width: 100%; height: 100%; border: none; background: white; }
    </style>
  </head>
  <body>
    ${body}
    <script nonce="${nonce}">${startGraphiQL}
${script}</script>
  </body>
</html>
`;
}

/**
 * GET /graphql/explorer: GraphiQL served by the gateway, whatever the network; every file it
 * loads comes from this origin (send it with localExplorerPolicy's CSP).
 */
export function localExplorerPage({ tabs, assets, nonce }: ExplorerPageOptions): string {
  const config = { endpoint: '/graphql', tabs, title: 'content-gateway' };
  return page({
    title: 'GraphiQL · content-gateway',
    nonce,
    head: `<link rel="stylesheet" href="${assets.graphiqlCss}" />`,
    body: `<div id="explorer"><p>Loading GraphiQL…</p><noscript>GraphiQL needs JavaScript.</noscript></div>
    <script src="${assets.react}"></script>
    <script src="${assets.reactDom}"></script>
    <script src="${assets.graphiql}"></script>`,
    script: `startGraphiQL(document.getElementById('explorer'), ${scriptJson(config)});`,
  });
}

/**
 * GET /graphql from a browser: Apollo Sandbox where its CDN answers (configured as Apollo's own
 * landing page configures it), else the local GraphiQL of localExplorerPage, in place.
 */
export function sandboxLandingPage(options: SandboxLandingOptions): string {
  const { tabs, assets, nonce, apolloVersion } = options;
  const config = {
    endpoint: '/graphql',
    tabs,
    title: 'content-gateway (offline)',
    assets,
    sandboxScript: `${sandboxScript}?runtime=${encodeURIComponent(`@apollo/server@${apolloVersion}`)}`,
    timeoutMs: sandboxTimeoutMs,
    // What ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }) passes.
    sandbox: {
      initialState: { includeCookies: false },
      hideCookieToggle: false,
      endpointIsEditable: false,
      runtime: `@apollo/server@${apolloVersion}`,
      runTelemetry: true,
      allowDynamicStyles: false,
    },
  };
  return page({
    title: 'Explorer · content-gateway',
    nonce,
    head: `<meta http-equiv="Content-Security-Policy" content="${sandboxLandingPolicy(nonce)}" />`,
    body: `<div id="explorer"><p>Loading Apollo Sandbox…</p><noscript>The explorer needs JavaScript.</noscript></div>
    <script type="application/json" id="explorer-config">${scriptJson(config)}</script>`,
    script: chooseExplorer,
  });
}
