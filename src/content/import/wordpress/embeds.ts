import { type ConversionNote } from '../htmlToMarkdown';
import { mediaLink } from './htmlText';

/**
 * WordPress' autoembed: a URL alone on its line (or alone in a paragraph) was replaced by the
 * provider's player when the post was shown. Without WordPress there is no player; the URL
 * becomes a link in its own paragraph, noted in the report.
 */
export function linkBareUrls(html: string, notes: ConversionNote[]): string {
  if (!/(?:^|\s|>)https?:\/\//i.test(html)) return html;
  const link = (url: string): string => {
    notes.push({ message: `embed kept as a link: ${url}` });
    return mediaLink(url);
  };
  // Text inside <pre> is shown as typed, a URL there included.
  return html
    .split(/(<pre[\s>][^]*?<\/pre>)/i)
    .map((part, index) => (index % 2 === 1 ? part : linkInPart(part, link)))
    .join('');
}

function linkInPart(html: string, link: (url: string) => string): string {
  return html
    .replace(
      /^(\s*)(https?:\/\/[^\s<>"]+)(\s*)$/gim,
      (_whole, before: string, url: string, after: string) => `${before}${link(url)}${after}`,
    )
    .replace(
      /(<p(?: [^>]*)?>\s*)(https?:\/\/[^\s<>"]+)(\s*<\/p>)/gi,
      (_whole, _open: string, url: string) => link(url),
    );
}
