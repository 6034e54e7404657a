import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { SourcePost } from '../source/sourcePost';

/** What --download-media needs: where the files go, and the limits of one download. */
export interface MediaDownloadOptions {
  /** MEDIA_DIR, the folder the /media route serves. */
  mediaDir: string;
  /** MEDIA_DOWNLOAD_MAX_BYTES: a bigger image keeps its old URL and is reported. */
  maxBytes: number;
  /** MEDIA_DOWNLOAD_TIMEOUT_MS: the most one download (headers and body) may take. */
  timeoutMs: number;
  /**
   * The downloads of this run by URL: an image that several posts show is fetched once. One map
   * per run (mediaDownloads() keeps one); without it each call has its own.
   */
  seen?: Map<string, Promise<MediaOutcome>>;
}

/** A download's outcome: the gateway's URL of the file, or why the old URL stays. */
export type MediaOutcome = { url: string } | { failure: string };

// The file extension of each image type; anything else is not an image the gateway serves.
const extensions: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/pjpeg': '.jpg',
  'image/png': '.png',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'image/avif': '.avif',
  'image/svg+xml': '.svg',
  'image/bmp': '.bmp',
  'image/tiff': '.tif',
  'image/x-icon': '.ico',
  'image/vnd.microsoft.icon': '.ico',
};
const fileExtensions = [...new Set(Object.values(extensions))];

// A Markdown image, ![alt](url) or ![alt](<url> "title"), with an http(s) URL.
const markdownImage =
  /(!\[(?:[^\]\\]|\\.)*\]\(\s*<?)(https?:\/\/[^\s)<>]+)(>?(?:\s+"[^"]*")?\s*\))/g;

/** Thrown while the body streams in, once it passes the limit. */
class TooBig extends Error {}

/** The file name of a URL's download: a hash of the URL, so no name of the source reaches disk. */
function baseName(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 32);
}

/** The image extension a URL's path ends with, for a server that sends no image type. */
function extensionOfUrl(url: URL): string | null {
  const match = /\.([a-z0-9]{2,5})$/i.exec(url.pathname);
  if (!match) return null;
  const extension = { jpeg: 'jpg', tiff: 'tif' }[match[1].toLowerCase()] ?? match[1].toLowerCase();
  return fileExtensions.includes(`.${extension}`) ? `.${extension}` : null;
}

/** The file an earlier run downloaded for this URL, if it is there. */
function existingFile(mediaDir: string, name: string): string | null {
  for (const extension of fileExtensions) {
    if (fs.existsSync(path.join(mediaDir, `${name}${extension}`))) return `${name}${extension}`;
  }
  return null;
}

function tooBig(maxBytes: number): string {
  return `too big (more than ${maxBytes} bytes, MEDIA_DOWNLOAD_MAX_BYTES)`;
}

/** Downloads one image into the media folder, within the size and time limits. */
async function download(url: string, options: MediaDownloadOptions): Promise<MediaOutcome> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { failure: 'not a URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { failure: `only http and https are downloaded, not ${parsed.protocol}` };
  }
  const name = baseName(url);
  const existing = existingFile(options.mediaDir, name);
  if (existing) return { url: `/media/${existing}` };
  const signal = AbortSignal.timeout(options.timeoutMs);
  let temporary: string | null = null;
  try {
    const response = await fetch(parsed, { signal, redirect: 'follow' });
    const type = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    const extension =
      extensions[type] ??
      (type === 'application/octet-stream' || type === '' ? extensionOfUrl(parsed) : null);
    const length = Number(response.headers.get('content-length') ?? NaN);
    const refusal = !response.ok
      ? `HTTP ${response.status}`
      : !extension
        ? `not an image (${type || 'no content type'})`
        : length > options.maxBytes
          ? tooBig(options.maxBytes)
          : null;
    if (refusal !== null || !response.body) {
      await response.body?.cancel();
      return { failure: refusal ?? 'an empty answer' };
    }
    fs.mkdirSync(options.mediaDir, { recursive: true });
    // A dot file (the /media route serves none) until it is complete, then renamed in place.
    temporary = path.join(options.mediaDir, `.${name}.${randomBytes(4).toString('hex')}.part`);
    let bytes = 0;
    const { maxBytes } = options;
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      async function* limit(chunks: AsyncIterable<Uint8Array>) {
        for await (const chunk of chunks) {
          bytes += chunk.byteLength;
          if (bytes > maxBytes) throw new TooBig();
          yield chunk;
        }
      },
      fs.createWriteStream(temporary),
    );
    const file = `${name}${extension}`;
    fs.renameSync(temporary, path.join(options.mediaDir, file));
    temporary = null;
    return { url: `/media/${file}` };
  } catch (error) {
    if (error instanceof TooBig) return { failure: tooBig(options.maxBytes) };
    if (signal.aborted) return { failure: `timed out after ${options.timeoutMs} ms` };
    const cause = (error as Error & { cause?: Error }).cause ?? (error as Error);
    return { failure: `download failed: ${cause.message}` };
  } finally {
    if (temporary) fs.rmSync(temporary, { force: true });
  }
}

/**
 * The import's --download-media for one post: its featured image and the images of its
 * Markdown body (http and https only) are copied into MEDIA_DIR under a name made from a hash of
 * the URL (the extension from the content type, else the URL), and their URLs become the
 * gateway's /media/<file>. A download that fails (an HTTP error, not an image, too big, too
 * slow) keeps the old URL and is a warning, returned and added to the post's own warnings so
 * the import reports it with the post's id and line. A file an earlier run downloaded is used
 * as it is, without a request.
 */
export async function downloadPostMedia(
  post: SourcePost,
  options: MediaDownloadOptions,
): Promise<{ post: SourcePost; warnings: string[] }> {
  const seen = options.seen ?? new Map<string, Promise<MediaOutcome>>();
  const warnings: string[] = [];
  const rewrite = async (url: string, what: string): Promise<string> => {
    let outcome = seen.get(url);
    if (!outcome) {
      outcome = download(url, options);
      seen.set(url, outcome);
    }
    const result = await outcome;
    if ('url' in result) return result.url;
    warnings.push(`${what} ${url} not downloaded: ${result.failure}`);
    return url;
  };
  const values = { ...post.values };
  if (values.imageUrl && /^https?:\/\//i.test(values.imageUrl)) {
    values.imageUrl = await rewrite(values.imageUrl, 'featured image');
  }
  const replaced = new Map<string, string>();
  for (const match of values.body.matchAll(markdownImage)) {
    if (!replaced.has(match[2])) replaced.set(match[2], await rewrite(match[2], 'image'));
  }
  values.body = values.body.replace(
    markdownImage,
    (_all, before: string, url: string, after: string) =>
      `${before}${replaced.get(url) ?? url}${after}`,
  );
  return { post: { ...post, values, warnings: [...post.warnings, ...warnings] }, warnings };
}

/** One run's downloads: the same URL fetched once however many posts show it. */
export function mediaDownloads(
  options: Omit<MediaDownloadOptions, 'seen'>,
): (post: SourcePost) => Promise<{ post: SourcePost; warnings: string[] }> {
  const seen = new Map<string, Promise<MediaOutcome>>();
  return post => downloadPostMedia(post, { ...options, seen });
}
