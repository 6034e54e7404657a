import path from 'node:path';
import express from 'express';

export interface DemoSiteRouteOptions {
  /** The folder holding index.html and the site's assets (the repository's site/). */
  siteDir: string;
}

/** The repository's site/ folder, beside src/ (and beside dist/ once built). */
export const defaultSiteDir = path.resolve(__dirname, '../../site');

// The page paths the site renders in the browser; each gets the same HTML shell.
const pagePaths = ['/', '/artikel/:slug', '/thema/:slug', '/autor/:slug'];

// The site's own files: scripts and styles from itself, data from this origin's /graphql, images
// from the URLs the API gives (this origin, or PUBLIC_URL's https host). Speculation rules come in
// a header (see below), so no inline script is allowed.
const contentSecurityPolicy = [
  "default-src 'self'",
  "img-src 'self' https: data:",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The demo reader site (DEMO_SITE): the HTML shell for the page paths (/, /artikel/<slug>,
 * /thema/<slug>, /autor/<slug>), revalidated on every load so a deploy shows at once, and the
 * assets under /site/, kept 5 minutes (their names carry no hash) and then revalidated by ETag.
 * The pages fetch their data from POST /graphql in the browser, as any client of the API does.
 */
export function demoSiteRoute({ siteDir }: DemoSiteRouteOptions): express.Router {
  const router = express.Router();
  router.use(
    '/site',
    express.static(siteDir, {
      fallthrough: false,
      index: false,
      maxAge: '5m',
      setHeaders: (res, file) => {
        res.setHeader('x-content-type-options', 'nosniff');
        // Chromium reads speculation rules only with their own media type.
        if (file.endsWith('.speculationrules.json'))
          res.setHeader('content-type', 'application/speculationrules+json');
      },
    }),
  );
  const shell = path.join(siteDir, 'index.html');
  router.get(pagePaths, (_req, res, next) => {
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('content-security-policy', contentSecurityPolicy);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
    // Links to articles are prerendered when a reader is about to follow them (hover or press);
    // the article page counts its view only once it is shown (site/viewBeacon.js).
    res.setHeader('speculation-rules', '"/site/articles.speculationrules.json"');
    // sendFile calls back when the transfer ends, with or without an error: only an error goes on
    // (to the error handler), else the next route (the endpoints page at /) would answer too.
    res.sendFile(shell, { headers: { 'content-type': 'text/html; charset=utf-8' } }, error => {
      if (error && !res.headersSent) next(error);
    });
  });
  return router;
}
