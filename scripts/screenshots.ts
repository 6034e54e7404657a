import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromiumMissing, desktopContext, launchBrowser } from '../tests/helpers/browser';
import { startGatewayProcess } from '../tests/helpers/builtGateway';

/**
 * `npm run screenshots`: starts the built gateway (dist/) on a fresh SQLite file with the demo
 * content, opens each page of the demo site in Debian's Chromium at 1280x1000 and writes a PNG
 * of what a reader sees first to docs/screenshots/. Not part of npm test.
 */
const root = path.resolve(__dirname, '../../..');
const outDir = path.join(root, 'docs/screenshots');
const pages = [
  ['article', '/artikel/die-erste-fuehrungsrolle'],
  ['listing', '/'],
  ['tag', '/thema/karriere'],
  ['author', '/autor/anna-berger'],
] as const;

async function main(): Promise<void> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'content-gateway-screenshots-'));
  const { child, port } = await startGatewayProcess(path.join(root, 'dist'), {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    DATABASE_URL: `sqlite:${path.join(dataDir, 'demo.sqlite')}`,
    // Absolute: the helper runs the gateway from its own (compiled) location.
    CONTENT_DIR: path.join(root, 'content/demo'),
    MEDIA_DIR: path.join(root, 'content/demo/media'),
  });
  const browser = await launchBrowser();
  try {
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 1000 });
    fs.mkdirSync(outDir, { recursive: true });
    for (const [name, sitePath] of pages) {
      await page.goto(`http://127.0.0.1:${port}${sitePath}`);
      await page.waitForSelector('main:not([aria-busy]) h1');
      await page.waitForLoadState('networkidle');
      const file = path.join(outDir, `${name}.png`);
      await page.screenshot({ path: file });
      console.log(`${path.relative(root, file)}: ${Math.round(fs.statSync(file).size / 1024)} KB`);
    }
  } finally {
    await browser.close();
    child.kill();
    await new Promise(resolve => child.once('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
