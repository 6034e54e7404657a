/** Text or an attribute value made safe to put into the HTML the converter builds. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A link to an embed or media URL, on its own line: what an oEmbed or player becomes. */
export function mediaLink(url: string): string {
  const safe = escapeHtml(url);
  return `<p><a href="${safe}">${safe}</a></p>`;
}

/** Only http(s) URLs become links; anything else (javascript:, data:) is not followed. */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\/[^\s<>"]+$/i.test(url);
}
