import fs from 'node:fs';
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
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
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
