import { graphql } from './api.js';
import {
  articleCard,
  articlePath,
  authorPath,
  dateline,
  mostReadSidebar,
  picture,
  siteNav,
  tagPath,
} from './components.js';
import { fill, h } from './dom.js';
import { labelsFor } from './labels.js';
import { articlePageQuery } from './queries.js';
import { reportViewWhenShown } from './viewBeacon.js';

/**
 * The article's other languages: a <link rel="alternate" hreflang> in the head for each version,
 * itself included (as search engines ask), and a link to each translation, named in its language.
 */
function alternates(article) {
  for (const link of document.head.querySelectorAll('link[rel="alternate"][hreflang]'))
    link.remove();
  if (!article.translations.length) return [];
  for (const version of [article, ...article.translations]) {
    const href = new URL(articlePath(version.slug), location.origin).href;
    document.head.append(h('link', { rel: 'alternate', hreflang: version.locale, href }));
  }
  return article.translations.map((version, index) => [
    index > 0 ? ', ' : null,
    h(
      'a',
      { href: articlePath(version.slug), hreflang: version.locale, lang: version.locale },
      new Intl.DisplayNames([version.locale], { type: 'language' }).of(version.locale),
    ),
  ]);
}

/** Renders an article page and, once the reader sees it, reports the view. */
export async function articlePage(slug, view) {
  const data = await graphql(articlePageQuery, { slug, exclude: [slug] });
  const article = data.article;
  if (!article) return view.notFound(data);
  const words = labelsFor(article.locale);
  view.setLanguage(article.locale);
  view.setTitle(article.seoTitle ?? article.title, article.seoDescription ?? article.excerpt);
  fill(view.nav, siteNav(data.tags, article.locale));
  const versions = alternates(article);

  const authors = article.authors.map((author, index) => [
    index > 0 ? ', ' : null,
    h('a', { href: authorPath(author.slug), rel: 'author' }, author.name),
  ]);
  const body = h('div', { class: 'article__body' });
  // The body is HTML the gateway has sanitized (markdown-it, then sanitize-html).
  body.innerHTML = article.body;

  fill(
    view.main,
    h(
      'article',
      { class: 'article' },
      h(
        'header',
        { class: 'article__header' },
        h('h1', { class: 'article__title' }, article.title),
        h(
          'p',
          { class: 'article__meta' },
          dateline(article.publishedAt, article.locale),
          h('span', { class: 'article__reading' }, article.readingTime.label),
          authors.length ? h('span', { class: 'article__authors' }, `${words.by} `, authors) : null,
        ),
        versions.length
          ? h('p', { class: 'article__translations' }, `${words.alsoIn} `, versions)
          : null,
      ),
      article.mainImage
        ? h(
            'figure',
            { class: 'article__hero' },
            picture(article.mainImage, { eager: true }),
            article.mainImage.caption ? h('figcaption', {}, article.mainImage.caption) : null,
          )
        : null,
      body,
      article.tags.length
        ? h(
            'footer',
            { class: 'article__footer' },
            h('h2', { class: 'visually-hidden' }, words.tags),
            h(
              'ul',
              { class: 'tag-list' },
              article.tags.map(tag => h('li', {}, h('a', { href: tagPath(tag.slug) }, tag.name))),
            ),
          )
        : null,
    ),
    article.related.length
      ? h(
          'section',
          { class: 'related', 'aria-labelledby': 'related-title' },
          h('h2', { id: 'related-title' }, words.related),
          h(
            'div',
            { class: 'card-grid' },
            article.related.map(item => articleCard(item)),
          ),
        )
      : null,
  );
  fill(view.sidebar, mostReadSidebar(data.mostRead, article.locale));
  reportViewWhenShown(article.slug);
}
