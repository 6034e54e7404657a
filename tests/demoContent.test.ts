import fs from 'node:fs';
import path from 'node:path';
import { parseContentFile, readContentFiles } from '../src/content/import/contentImport';
import { countWords } from '../src/content/markdown';

const demoDir = path.join(__dirname, '../content/demo');

describe('the demo site', () => {
  const parsed = readContentFiles(demoDir).map(file => parseContentFile(file));
  const ok = parsed.filter(item => 'kind' in item);
  const articles = ok.flatMap(item => (item.kind === 'article' ? [item.value] : []));

  it('parses without a problem', () => {
    expect(parsed.filter(item => !('kind' in item))).toEqual([]);
  });

  it('has at least 30 articles, mostly German, 6 authors and 12 tags, every one in use', () => {
    expect(articles.length).toBeGreaterThanOrEqual(30);
    const german = articles.filter(article => article.locale === 'de').length;
    expect(german).toBeGreaterThan(articles.length / 2);
    expect(articles.some(article => article.locale === 'en')).toBe(true);
    const authors = ok.filter(item => item.kind === 'author').map(item => item.value.slug);
    const tags = ok.filter(item => item.kind === 'tag').map(item => item.value.slug);
    expect(authors).toHaveLength(6);
    expect(tags).toHaveLength(12);
    expect(new Set(articles.flatMap(article => article.authors))).toEqual(new Set(authors));
    expect(new Set(articles.flatMap(article => article.tags))).toEqual(new Set(tags));
    expect(new Set(articles.map(article => article.slug)).size).toBe(articles.length);
  });

  it('gives every article 250 to 900 words under sub-headings and a hero image the gateway serves', () => {
    for (const article of articles) {
      const words = countWords(article.body);
      expect({ slug: article.slug, ok: words >= 250 && words <= 900 }).toEqual({
        slug: article.slug,
        ok: true,
      });
      expect(article.body).toMatch(/^## /m);
      expect(article.image).toMatch(/^\/media\/.+\.svg$/);
      expect(fs.existsSync(path.join(demoDir, article.image as string))).toBe(true);
    }
  });
});
