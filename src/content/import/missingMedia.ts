import fs from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import type { FrontMatter } from './frontMatter';

/** A local media path that a file uses and the media folder does not hold. */
export interface MissingMedia {
  line: number | null;
  message: string;
}

// Parsed as src/content/markdown.ts parses a body (no raw HTML), so the images found here are
// the images the article shows.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

const MEDIA_PREFIX = '/media/';
// Front-matter fields that hold an image the gateway shows.
const IMAGE_FIELDS = ['image', 'avatar'] as const;

/** Whether `/media/<file>` names a file in the media folder, as the /media route serves it. */
function existsInMedia(url: string, mediaDir: string): boolean {
  let relative: string;
  try {
    relative = decodeURIComponent(url.slice(MEDIA_PREFIX.length).replace(/[?#].*$/, ''));
  } catch {
    return false;
  }
  const file = path.resolve(mediaDir, relative);
  if (!file.startsWith(path.resolve(mediaDir) + path.sep)) return false;
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The body's image sources with their 1-based file lines. */
function bodyImages(frontMatter: FrontMatter): { src: string; line: number }[] {
  const images: { src: string; line: number }[] = [];
  for (const token of md.parse(frontMatter.content, {})) {
    if (token.type !== 'inline' || !token.map) continue;
    // Lines inside a block: each soft or hard break moves to the next one.
    let line = frontMatter.bodyLine + token.map[0];
    for (const child of token.children ?? []) {
      if (child.type === 'softbreak' || child.type === 'hardbreak') line += 1;
      if (child.type === 'image') images.push({ src: child.attrGet('src') ?? '', line });
    }
  }
  return images;
}

/**
 * Local images (`/media/...` in the front matter's image fields and in the body) that are not
 * files in `mediaDir`, the folder the /media route serves: each would be a broken image.
 */
export function missingMedia(frontMatter: FrontMatter, mediaDir: string): MissingMedia[] {
  const missing: MissingMedia[] = [];
  const where = `the media folder ${mediaDir}`;
  for (const field of IMAGE_FIELDS) {
    const value = frontMatter.data[field];
    if (typeof value === 'string' && value.startsWith(MEDIA_PREFIX)) {
      if (!existsInMedia(value, mediaDir)) {
        missing.push({
          line: frontMatter.lineOf([field]),
          message: `${field}: ${value} is not in ${where}`,
        });
      }
    }
  }
  for (const image of bodyImages(frontMatter)) {
    if (image.src.startsWith(MEDIA_PREFIX) && !existsInMedia(image.src, mediaDir)) {
      missing.push({ line: image.line, message: `image ${image.src} is not in ${where}` });
    }
  }
  return missing;
}
