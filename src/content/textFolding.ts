/**
 * Folding for search and sorting: lower case, ß as ss, diacritics removed, so that "Überblick",
 * "Uberblick" and "uberblick" meet. German writers also spell umlauts as ae/oe/ue ("Ueberblick"):
 * search documents carry that spelling too (see searchDocument).
 */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
}

const transliterations: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

/** The words of a text, folded, each at most 64 characters. */
export function foldedWords(text: string): string[] {
  return (fold(text).match(/[\p{L}\p{N}]+/gu) ?? []).map(word => word.slice(0, 64));
}

/**
 * The text to index for search: every word folded, and every word with an umlaut a second time
 * in its ae/oe/ue spelling.
 */
export function searchDocument(text: string): string {
  const extra = new Set<string>();
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]*[äöü][\p{L}\p{N}]*/gu) ?? []) {
    extra.add(fold(word.replace(/[äöüß]/g, letter => transliterations[letter])));
  }
  const folded = foldedWords(text).join(' ');
  return extra.size ? `${folded} ${[...extra].join(' ')}` : folded;
}

/** A key for ordering by name or title: folded, punctuation collapsed to single spaces. */
export function sortKey(text: string): string {
  return foldedWords(text).join(' ').slice(0, 500);
}

/** A URL slug from a name: "Jörg Weiß" -> "joerg-weiss". */
export function slugOf(text: string): string {
  const transliterated = text.toLowerCase().replace(/[äöüß]/g, letter => transliterations[letter]);
  return foldedWords(transliterated).join('-').slice(0, 200);
}
