import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { wordpressPost } from './helpers/sourcePosts';
import { startTestGateway } from './helpers/testGateway';
import { downloadPostMedia, mediaDownloads } from '../src/content/import/media/downloadMedia';

// A 1x1 PNG.
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);

describe('downloadPostMedia (--download-media) against a local HTTP server', () => {
  let server: http.Server;
  let base: string;
  const requests = new Map<string, number>();
  const timers: NodeJS.Timeout[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.set(req.url!, (requests.get(req.url!) ?? 0) + 1);
      switch (req.url) {
        case '/img/photo.png':
          res.writeHead(200, { 'content-type': 'image/png' }).end(png);
          return;
        case '/img/hero.jpg':
          res.writeHead(200, { 'content-type': 'image/jpeg; charset=binary' }).end(jpeg);
          return;
        case '/img/huge.png':
          // No content-length: the limit must hold while the body streams in.
          res.writeHead(200, { 'content-type': 'image/png' });
          for (let i = 0; i < 10; i += 1) res.write(Buffer.alloc(500));
          res.end();
          return;
        case '/img/slow.png':
          timers.push(
            setTimeout(() => res.writeHead(200, { 'content-type': 'image/png' }).end(png), 3000),
          );
          return;
        case '/page.html':
          res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
          return;
        default:
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const timer of timers) clearTimeout(timer);
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  function post() {
    return wordpressPost('7', {
      imageUrl: `${base}/img/hero.jpg`,
      body: [
        `Intro ![A photo](${base}/img/photo.png "The title")`,
        '',
        `![again](<${base}/img/photo.png>) ![gone](${base}/img/missing.png)`,
        `![huge](${base}/img/huge.png) ![slow](${base}/img/slow.png) ![page](${base}/page.html)`,
        `![local](/media/x.svg) [a link, not an image](${base}/img/photo.png)`,
      ].join('\n'),
    });
  }

  it('copies the images into MEDIA_DIR once per run, rewrites their URLs, and reports what failed', async () => {
    const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'media-'));
    const download = mediaDownloads({ mediaDir, maxBytes: 1000, timeoutMs: 500 });
    const first = await download(post());
    const second = await download(post());

    const files = fs.readdirSync(mediaDir).sort();
    expect(files).toHaveLength(2);
    for (const file of files) expect(file).toMatch(/^[0-9a-f]{32}\.(png|jpg)$/);
    const photo = files.find(file => file.endsWith('.png'))!;
    const hero = files.find(file => file.endsWith('.jpg'))!;
    expect(fs.readFileSync(path.join(mediaDir, photo))).toEqual(png);
    expect(fs.readFileSync(path.join(mediaDir, hero))).toEqual(jpeg);

    expect(first.post.values.imageUrl).toBe(`/media/${hero}`);
    expect(first.post.values.body.split('\n')).toEqual([
      `Intro ![A photo](/media/${photo} "The title")`,
      '',
      `![again](</media/${photo}>) ![gone](${base}/img/missing.png)`,
      `![huge](${base}/img/huge.png) ![slow](${base}/img/slow.png) ![page](${base}/page.html)`,
      `![local](/media/x.svg) [a link, not an image](${base}/img/photo.png)`,
    ]);
    expect(first.warnings).toEqual([
      `image ${base}/img/missing.png not downloaded: HTTP 404`,
      `image ${base}/img/huge.png not downloaded: too big (more than 1000 bytes, MEDIA_DOWNLOAD_MAX_BYTES)`,
      `image ${base}/img/slow.png not downloaded: timed out after 500 ms`,
      `image ${base}/page.html not downloaded: not an image (text/html)`,
    ]);
    expect(first.post.warnings).toEqual(first.warnings);
    // The second post of the run: the same answers, no second request for any URL.
    expect(second.post.values).toEqual(first.post.values);
    expect(second.warnings).toEqual(first.warnings);
    expect([...requests.values()].every(count => count === 1)).toBe(true);
    expect(requests.size).toBe(6);

    // A re-import (a new run) finds the files already there and asks only for the failed ones.
    const again = await downloadPostMedia(post(), { mediaDir, maxBytes: 1000, timeoutMs: 500 });
    expect(again.post.values).toEqual(first.post.values);
    expect(requests.get('/img/photo.png')).toBe(1);
    expect(requests.get('/img/hero.jpg')).toBe(1);
    expect(requests.get('/img/missing.png')).toBe(2);

    // The gateway serves what was downloaded under /media.
    const gateway = await startTestGateway('sqlite', { env: { MEDIA_DIR: mediaDir } });
    try {
      const served = await fetch(`${gateway.url}/media/${photo}`);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await served.arrayBuffer())).toEqual(png);
    } finally {
      await gateway.close();
    }
  });

  it('leaves other URLs alone and downloads nothing for a post without remote images', async () => {
    const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'media-'));
    const plain = wordpressPost('8', { imageUrl: '/media/kept.svg', body: 'No images here.' });
    const result = await downloadPostMedia(plain, { mediaDir, maxBytes: 1000, timeoutMs: 500 });
    expect(result.post.values).toEqual(plain.values);
    expect(result.warnings).toEqual([]);
    expect(fs.readdirSync(mediaDir)).toEqual([]);
  });
});
