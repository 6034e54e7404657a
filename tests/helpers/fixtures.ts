import type { ContentFile } from '../../src/content/import/contentImport';

export interface ArticleFixture {
  slug: string;
  title?: string;
  date?: string | null;
  status?: 'published' | 'draft' | 'archived';
  locale?: string;
  authors?: string[];
  tags?: string[];
  featured?: boolean;
  excerpt?: string;
  image?: string;
  body?: string;
}

const defaultBody = `Ein kurzer Absatz, der als Anriss dient und das Thema vorstellt.

## Erster Abschnitt

Hier steht der eigentliche Text mit einigen Worten.

## Zweiter Abschnitt

Noch ein Absatz zum Abschluss.`;

/** A Markdown file with front matter, as an editor would write it. */
export function articleFile(fixture: ArticleFixture): ContentFile {
  const lines = [
    '---',
    `title: ${JSON.stringify(fixture.title ?? `Artikel ${fixture.slug}`)}`,
    `slug: ${fixture.slug}`,
    fixture.date === null ? '' : `date: ${fixture.date ?? '2026-11-01T08:00:00Z'}`,
    `status: ${fixture.status ?? 'published'}`,
    `locale: ${fixture.locale ?? 'de'}`,
    `authors: [${(fixture.authors ?? []).join(', ')}]`,
    `tags: [${(fixture.tags ?? []).join(', ')}]`,
    `featured: ${fixture.featured ?? false}`,
    fixture.excerpt ? `excerpt: ${JSON.stringify(fixture.excerpt)}` : '',
    fixture.image ? `image: ${fixture.image}` : '',
    '---',
    '',
    fixture.body ?? defaultBody,
  ].filter(line => line !== '');
  return { name: `${fixture.slug}.md`, text: `${lines.join('\n')}\n` };
}

/**
 * `count` published articles a day apart (newest has the highest index), each with 2 of `tagCount`
 * tags and 1-2 of `authorCount` authors, for paging and batching tests.
 */
export function articleSeries(
  count: number,
  options: { tagCount?: number; authorCount?: number } = {},
): ContentFile[] {
  const tagCount = options.tagCount ?? 6;
  const authorCount = options.authorCount ?? 4;
  return Array.from({ length: count }, (_, index) => {
    const day = new Date(Date.UTC(2026, 0, 1) + index * 86_400_000).toISOString();
    const authors = [`autor-${index % authorCount}`];
    if (index % 3 === 0) authors.push(`autor-${(index + 1) % authorCount}`);
    return articleFile({
      slug: `serie-${String(index).padStart(3, '0')}`,
      title: `Serie ${index}`,
      date: day,
      authors,
      tags: [`thema-${index % tagCount}`, `thema-${(index + 1) % tagCount}`],
    });
  });
}
