/**
 * WordPress' wpautop, the filter that turned a classic post's newlines into paragraphs when
 * WordPress showed it: a blank line ends a paragraph, a single newline is a <br />, block
 * elements are never wrapped, <pre> and <script>/<style> content stays as it was typed. The
 * rules and their order follow wp-includes/formatting.php, so a classic post reads as it did.
 */

// The elements wpautop treats as blocks: never wrapped in a <p>, a paragraph ends before them.
const ALL_BLOCKS =
  '(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)';

const NEWLINE_IN_TAG = '\u0000wpnl\u0000';
const PRESERVED_NEWLINE = '\u0000wppn\u0000';

export function autop(input: string): string {
  if (input.trim() === '') return '';
  const preTags = new Map<string, string>();
  let text = protectPre(`${input}\n`, preTags);

  text = text.replace(/<br\s*\/?>\s*<br\s*\/?>/g, '\n\n');
  text = text.replace(new RegExp(`(<${ALL_BLOCKS}[\\s/>])`, 'g'), '\n\n$1');
  text = text.replace(new RegExp(`(</${ALL_BLOCKS}>)`, 'g'), '$1\n\n');
  text = text.replace(/(<hr\s*?\/?>)/g, '$1\n\n');
  text = text.replace(/\r\n?/g, '\n');
  // A newline inside a tag (between attributes) is not a line of text.
  text = text.replace(/<[^<>]*>/g, tag => tag.replace(/\n/g, NEWLINE_IN_TAG));
  text = collapseAroundInlineChildren(text);
  text = text.replace(/\n\n+/g, '\n\n');

  text = text
    .split(/\n\s*\n/)
    .filter(part => part !== '')
    .map(part => `<p>${part.replace(/^\n+|\n+$/g, '')}</p>\n`)
    .join('');

  text = text.replace(/<p>\s*<\/p>/g, '');
  text = text.replace(/<p>([^<]+)<\/(div|address|form)>/g, '<p>$1</p></$2>');
  text = text.replace(new RegExp(`<p>\\s*(</?${ALL_BLOCKS}[^>]*>)\\s*</p>`, 'g'), '$1');
  text = text.replace(/<p>(<li.+?)<\/p>/g, '$1');
  text = text.replace(/<p><blockquote([^>]*)>/gi, '<blockquote$1><p>');
  text = text.replace(/<\/blockquote><\/p>/g, '</p></blockquote>');
  text = text.replace(new RegExp(`<p>\\s*(</?${ALL_BLOCKS}[^>]*>)`, 'g'), '$1');
  text = text.replace(new RegExp(`(</?${ALL_BLOCKS}[^>]*>)\\s*</p>`, 'g'), '$1');

  // The remaining single newlines are line breaks, except inside script, style, svg and math.
  text = text.replace(/<(script|style|svg|math)[^]*?<\/\1>/g, element =>
    element.replace(/\n/g, PRESERVED_NEWLINE),
  );
  text = text.replace(/<br>|<br\/>/g, '<br />');
  // WordPress' \s*\n: paragraphs hold no blank lines any more, so the blanks are [^\S\n], and a
  // match starts only where a run of them starts (no quadratic backtracking on a long run).
  text = text.replace(/(?<!<br \/>)(?<![^\S\n])[^\S\n]*\n/g, '<br />\n');
  text = text.split(PRESERVED_NEWLINE).join('\n');

  text = text.replace(new RegExp(`(</?${ALL_BLOCKS}[^>]*>)\\s*<br />`, 'g'), '$1');
  text = text.replace(/<br \/>(\s*<\/?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)/g, '$1');
  text = text.replace(/\n<\/p>$/, '</p>');

  for (const [name, pre] of preTags) text = text.split(name).join(pre);
  return text.split(NEWLINE_IN_TAG).join('\n');
}

/** Each <pre>…</pre> out of the way (a placeholder) while paragraphs are made. */
function protectPre(text: string, preTags: Map<string, string>): string {
  if (!text.includes('<pre')) return text;
  const parts = text.split('</pre>');
  const last = parts.pop() ?? '';
  let out = '';
  parts.forEach(part => {
    const start = part.indexOf('<pre');
    if (start === -1) {
      out += part;
      return;
    }
    const name = `<pre wp-pre-tag-${preTags.size}></pre>`;
    preTags.set(name, `${part.slice(start)}</pre>`);
    out += part.slice(0, start) + name;
  });
  return out + last;
}

/** <option>, <param>/<embed> in <object>, <source>/<track> in media, <figcaption>: no breaks around them. */
function collapseAroundInlineChildren(input: string): string {
  let text = input;
  if (text.includes('<option')) {
    text = text.replace(/\s*<option/g, '<option').replace(/<\/option>\s*/g, '</option>');
  }
  if (text.includes('</object>')) {
    text = text
      .replace(/(<object[^>]*>)\s*/g, '$1')
      .replace(/\s*<\/object>/g, '</object>')
      .replace(/\s*(<\/?(?:param|embed)[^>]*>)\s*/g, '$1');
  }
  if (text.includes('<source') || text.includes('<track')) {
    text = text
      .replace(/([<[](?:audio|video)[^>\]]*[>\]])\s*/g, '$1')
      .replace(/\s*([<[]\/(?:audio|video)[>\]])/g, '$1')
      .replace(/\s*(<(?:source|track)[^>]*>)\s*/g, '$1');
  }
  if (text.includes('<figcaption')) {
    text = text
      .replace(/\s*(<figcaption[^>]*>)/g, '$1')
      .replace(/<\/figcaption>\s*/g, '</figcaption>');
  }
  return text;
}
