import { readWxr } from './readWxr';
import { localeOfLanguage, wordpressItem } from './wordpressPost';
import { readWordpressSite, type WordpressSite } from './wordpressSite';
import type { SourceItem } from '../source/importSourcePosts';

/** A WordPress export ready to import: what the first pass learnt, and the second pass' items. */
export interface WordpressExport {
  site: WordpressSite;
  locale: string;
  /** Items in the export, for a progress bar. */
  total: number;
  /** One pass over the file, item by item (a post, or what was skipped and why). */
  items: () => AsyncIterable<SourceItem>;
  /** Items of the export read so far by the current pass (a post's comments are one more). */
  read: () => number;
}

/** An export that cannot be imported as it is (no site, a language that is no locale). */
export class WordpressExportError extends Error {}

/**
 * Opens a WordPress export (WXR 1.1 or 1.2) in two passes over the file: the first reads the
 * site, its authors, terms and attachments (which WordPress writes after the posts that use
 * them); the second, as the import consumes it, turns each item into a post or a skipped item.
 * The locale is the option's (--locale), else the export's <language>.
 */
export async function openWordpressExport(
  file: string,
  options: { locale?: string | null } = {},
): Promise<WordpressExport> {
  const site = await readWordpressSite(file).catch((error: Error) => {
    throw new WordpressExportError(error.message);
  });
  const locale = options.locale ?? localeOfLanguage(site.language);
  if (!locale) {
    throw new WordpressExportError(
      `the export's language ${JSON.stringify(site.language)} is not a BCP 47 locale: pass --locale (de, en-GB, ...)`,
    );
  }
  let read = 0;
  return {
    site,
    locale,
    total: site.items,
    items: async function* () {
      read = 0;
      for await (const node of readWxr(file)) {
        if (node.type !== 'item') continue;
        read += 1;
        yield* wordpressItem(node.item, site, { locale });
      }
    },
    read: () => read,
  };
}
