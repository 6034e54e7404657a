import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); playwright-core never downloads a browser here. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A desktop Chrome's user agent for the browser context: Chromium headless says "HeadlessChrome",
 * which the view guard rightly calls a bot, so a test reader must look like a person's browser.
 */
export const desktopChromeAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Why the browser tests cannot run here (Chromium is not installed or not executable), or null. */
export function chromiumMissing(): string | null {
  try {
    fs.accessSync(chromiumPath, fs.constants.X_OK);
    return null;
  } catch {
    return `Chromium is not installed at ${chromiumPath} (apt-get install -y chromium)`;
  }
}

/** Headless, and nothing that talks to Google's servers in the background. */
const quietSwitches = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches Debian's Chromium headless, without anything that talks to Google's servers in the
 * background. Each launch gets a fresh profile: playwright passes its own new --user-data-dir
 * (a playwright_chromiumdev_profile-* temporary directory, removed on close) and refuses one
 * given in args.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: quietSwitches,
  });
}

/** A desktop browser context: 1280x800, German, with a desktop Chrome user agent (see above). */
export function desktopContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    userAgent: desktopChromeAgent,
    viewport: { width: 1280, height: 800 },
    locale: 'de-DE',
  });
}

/**
 * Opens `url` in a Chromium that no DevTools session is attached to, with the desktop Chrome user
 * agent, and resolves once it runs. Chromium refuses to prerender for a page a DevTools session is
 * attached to (PrerenderingDisabledByDevTools: content/browser/devtools/devtools_instrumentation.cc
 * IsPrerenderAllowed), and playwright attaches to every page; a test of real prerendering drives
 * such a page through the server it loads from. close() ends the browser and removes its profile.
 */
export async function openUnattachedPage(url: string): Promise<{ close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'content-gateway-chromium-'));
  const child = spawn(
    chromiumPath,
    [...quietSwitches, `--user-data-dir=${profile}`, `--user-agent=${desktopChromeAgent}`, url],
    // A process group of its own, so close() ends Chromium's helper processes with it.
    { stdio: 'ignore', detached: true },
  );
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return {
    async close() {
      if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      await exited;
      // Chromium's helper processes may still write to the profile for a moment after it exits.
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}

/**
 * A describe block that needs Chromium: it runs where Chromium is installed and is otherwise
 * registered as skipped with a name that says why, as the [postgres] blocks are.
 */
export function describeWithBrowser(name: string, body: () => void): void {
  const missing = chromiumMissing();
  if (!missing) describe(`${name} [browser]`, body);
  else {
    describe.skip(`${name} [browser] (skipped: ${missing})`, () => {
      it('runs only in a real Chromium', () => undefined);
    });
  }
}
