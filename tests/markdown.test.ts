import { countWords, cutAtWord, renderMarkdown } from '../src/content/markdown';
import { fold, searchDocument, slugOf, sortKey } from '../src/content/textFolding';

describe('renderMarkdown', () => {
  it('removes what could run in a browser', () => {
    const { html } = renderMarkdown(
      '[klick](javascript:alert(1)) <img src=x onerror=alert(1)> ![bild](data:text/html,x)\n\n<iframe src="https://x"></iframe>',
    );
    // What survives is text: no link to a script, no element with a handler, no frame.
    expect(html).not.toMatch(/href="javascript:|<img[^>]*onerror|<iframe|src="data:/i);
    expect(html).toContain('&lt;iframe');
  });

  it('gives repeated headings unique anchors and counts images', () => {
    const rendered = renderMarkdown('## A\n\n## A\n\n![x](/media/a.svg)\n\n![y](/media/b.svg)');
    expect(rendered.headings.map(heading => heading.anchor)).toEqual(['a', 'a-1']);
    expect(rendered.imageCount).toBe(2);
  });

  it('counts hyphenated words and numbers as one word each', () => {
    expect(countWords('Die E-Mail kam um 9 Uhr, schon wieder.')).toBe(8);
  });
});

describe('cutAtWord', () => {
  it('keeps short text and cuts long text at a word boundary with an ellipsis', () => {
    expect(cutAtWord('Kurz und gut.')).toBe('Kurz und gut.');
    expect(cutAtWord('eins zwei drei vier', 12)).toBe('eins zwei…');
  });
});

describe('text folding', () => {
  it('folds umlauts, ß and case for search and sorting', () => {
    expect(fold('Überblick STRASSE Straße')).toBe('uberblick strasse strasse');
    expect(searchDocument('Ein Überblick')).toBe('ein uberblick ueberblick');
    expect(sortKey('  Äpfel, Birnen!  ')).toBe('apfel birnen');
    expect(slugOf('Jörg Weiß')).toBe('joerg-weiss');
  });
});
