import { Random } from './random';
import { englishWords, firstNames, germanWords, lastNames, wordsOf } from './words';
import { cutAtWord, renderMarkdown } from '../../src/content/markdown';
import { searchDocument, slugOf, sortKey } from '../../src/content/textFolding';

export interface ContentSize {
  articles: number;
  authors: number;
  tags: number;
  /** Days back from `now` over which articles are published (and views fall). */
  days: number;
}

export interface GeneratedAuthor {
  slug: string;
  name: string;
  bio: string | null;
  avatarUrl: string | null;
}

export interface GeneratedTag {
  slug: string;
  name: string;
  description: string | null;
}

export interface GeneratedArticle {
  slug: string;
  title: string;
  locale: 'de' | 'en';
  status: 'PUBLISHED' | 'DRAFT';
  featured: boolean;
  publishedAt: number | null;
  updatedAt: number;
  body: string;
  excerpt: string | null;
  image: { url: string; alt: string; width: number; height: number } | null;
  /** Indexes into the authors and tags lists, in order (the first is primary). */
  authors: number[];
  tags: number[];
}

export interface GeneratedContent {
  authors: GeneratedAuthor[];
  tags: GeneratedTag[];
  articles: GeneratedArticle[];
}

const de = wordsOf(germanWords);
const en = wordsOf(englishWords);
const day = 86_400_000;

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function sentence(random: Random, words: readonly string[], min: number, max: number): string {
  const parts: string[] = [];
  const length = random.int(min, max);
  for (let i = 0; i < length; i += 1) parts.push(random.pick(words));
  // Some inline Markdown, as editors write it: emphasis, strong text, a link.
  if (length > 6 && random.chance(0.08)) parts[2] = `**${parts[2]}**`;
  if (length > 6 && random.chance(0.05)) parts[4] = `*${parts[4]}*`;
  if (length > 8 && random.chance(0.04)) {
    parts[6] = `[${parts[6]}](https://example.com/${slugOf(parts[6]) || 'link'})`;
  }
  return `${capitalize(parts.join(' '))}${random.pick(['.', '.', '.', '?', '!'])}`;
}

function paragraph(random: Random, words: readonly string[], sentences: number): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i += 1) out.push(sentence(random, words, 6, 18));
  return out.join(' ');
}

/** A Markdown body of a few hundred words: an intro, 2-5 sections with sub-headings, a list. */
function body(random: Random, words: readonly string[]): string {
  const blocks = [paragraph(random, words, random.int(3, 5))];
  const sections = random.int(2, 5);
  for (let s = 0; s < sections; s += 1) {
    blocks.push(`## ${capitalize(sentence(random, words, 2, 5).slice(0, -1))}`);
    const paragraphs = random.int(1, 3);
    for (let p = 0; p < paragraphs; p += 1) blocks.push(paragraph(random, words, random.int(2, 6)));
    if (random.chance(0.25)) {
      const items = random.int(3, 5);
      const list: string[] = [];
      for (let i = 0; i < items; i += 1) list.push(`- ${sentence(random, words, 3, 8)}`);
      blocks.push(list.join('\n'));
    }
    if (random.chance(0.1)) blocks.push(`> ${sentence(random, words, 8, 16)}`);
  }
  return blocks.join('\n\n');
}

/**
 * The content of a benchmark site, deterministic for a seed: authors, tags and articles of
 * realistic length published over `days` days before `now`, 3 tags and 1-2 authors an article.
 */
export function generateContent(size: ContentSize, seed: number, now: number): GeneratedContent {
  const random = new Random(seed);
  const names = random.sample(
    firstNames.flatMap(first => lastNames.map(last => `${first} ${last}`)),
    size.authors,
  );
  const authors = names.map((name, i) => ({
    // Names repeat beyond the pairs there are; the index keeps slugs unique.
    slug: i < firstNames.length * lastNames.length ? slugOf(name) : `${slugOf(name)}-${i}`,
    name,
    bio: random.chance(0.7) ? sentence(random, random.chance(0.6) ? de : en, 10, 25) : null,
    avatarUrl: random.chance(0.6) ? `/media/authors/${slugOf(name)}.jpg` : null,
  }));
  const tagWords = [...new Set([...de, ...en].filter(word => word.length > 4).map(capitalize))];
  const tags: GeneratedTag[] = [];
  const tagSlugs = new Set<string>();
  while (tags.length < size.tags) {
    const name =
      tags.length < tagWords.length / 2 && random.chance(0.7)
        ? random.pick(tagWords)
        : `${random.pick(tagWords)} ${random.pick(tagWords)}`;
    const slug = slugOf(name);
    if (tagSlugs.has(slug)) continue;
    tagSlugs.add(slug);
    tags.push({
      slug,
      name,
      description: random.chance(0.5) ? sentence(random, de, 8, 16) : null,
    });
  }
  const articles: GeneratedArticle[] = [];
  for (let i = 0; i < size.articles; i += 1) {
    const locale = random.chance(0.6) ? 'de' : 'en';
    const words = locale === 'de' ? de : en;
    const title = capitalize(sentence(random, words, 4, 9).replace(/[*[\]()]|https?:\S+/g, ''))
      .slice(0, -1)
      .trim();
    const published = random.chance(0.98);
    const publishedAt = published ? now - Math.floor(random.next() * size.days * day) : null;
    const updatedAt = Math.min(
      now,
      (publishedAt ?? now - day) + (random.chance(0.3) ? random.int(0, 10 * day) : 0),
    );
    const slug = `${slugOf(title).slice(0, 80).replace(/-+$/, '')}-${i + 1}`;
    articles.push({
      slug,
      title,
      locale,
      status: published ? 'PUBLISHED' : 'DRAFT',
      featured: random.chance(0.05),
      publishedAt,
      updatedAt,
      body: body(random, words),
      excerpt: random.chance(0.2) ? sentence(random, words, 12, 24) : null,
      image: random.chance(0.7)
        ? {
            url: `/media/articles/${slug}.jpg`,
            alt: sentence(random, words, 3, 7),
            width: 1200,
            height: 675,
          }
        : null,
      authors: random.sample(
        Array.from({ length: size.authors }, (_, k) => k),
        random.chance(0.75) ? 1 : 2,
      ),
      tags: random.sample(
        Array.from({ length: size.tags }, (_, k) => k),
        Math.min(3, size.tags),
      ),
    });
  }
  return { authors, tags, articles };
}

/** The article table's columns, in the order articleValues returns them. */
export const articleColumns = [
  'slug',
  'title',
  'sort_title',
  'locale',
  'status',
  'featured',
  'published_at',
  'updated_at',
  'created_at',
  'body_markdown',
  'body_html',
  'body_text',
  'headings_json',
  'word_count',
  'image_count',
  'custom_excerpt',
  'auto_excerpt',
  'image_url',
  'image_alt',
  'image_caption',
  'image_width',
  'image_height',
  'seo_title',
  'seo_description',
  'canonical_url',
] as const;

export interface ArticleRow {
  values: unknown[];
  searchTitle: string;
  searchBody: string;
}

/**
 * The stored columns of an article, derived exactly as src/content/import/contentImport.ts articleColumns
 * derives them (renderMarkdown, sortKey, cutAtWord, searchDocument); checked against a real
 * import by verifyAgainstImport.
 */
export function articleRow(article: GeneratedArticle, now: number): ArticleRow {
  const rendered = renderMarkdown(article.body);
  return {
    values: [
      article.slug,
      article.title,
      sortKey(article.title),
      article.locale,
      article.status,
      article.featured,
      article.publishedAt,
      article.updatedAt,
      now,
      article.body,
      rendered.html,
      rendered.text,
      JSON.stringify(rendered.headings),
      rendered.wordCount,
      rendered.imageCount,
      article.excerpt,
      cutAtWord(rendered.firstParagraph || rendered.text),
      article.image?.url ?? null,
      article.image?.alt ?? null,
      null,
      article.image?.width ?? null,
      article.image?.height ?? null,
      null,
      null,
      null,
    ],
    searchTitle: searchDocument(article.title),
    searchBody: searchDocument(`${article.excerpt ?? ''}\n${rendered.text}`),
  };
}

function yamlString(value: string): string {
  return JSON.stringify(value);
}

/** The article as a Markdown file with front matter, as `npm run content:import` reads it. */
export function contentFileOf(article: GeneratedArticle, content: GeneratedContent) {
  const lines = [
    '---',
    `title: ${yamlString(article.title)}`,
    `slug: ${article.slug}`,
    `status: ${article.status.toLowerCase()}`,
    `locale: ${article.locale}`,
    `featured: ${article.featured}`,
    `authors: [${article.authors.map(i => content.authors[i].slug).join(', ')}]`,
    `tags: [${article.tags.map(i => content.tags[i].slug).join(', ')}]`,
  ];
  if (article.publishedAt != null) {
    lines.push(`date: ${new Date(article.publishedAt).toISOString()}`);
  }
  lines.push(`updated: ${new Date(article.updatedAt).toISOString()}`);
  if (article.excerpt) lines.push(`excerpt: ${yamlString(article.excerpt)}`);
  if (article.image) {
    lines.push(
      `image: ${yamlString(article.image.url)}`,
      `imageAlt: ${yamlString(article.image.alt)}`,
      `imageWidth: ${article.image.width}`,
      `imageHeight: ${article.image.height}`,
    );
  }
  lines.push('---', '', article.body, '');
  return { name: `${article.slug}.md`, text: lines.join('\n') };
}
