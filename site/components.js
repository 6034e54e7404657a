import { h } from './dom.js';
import { formatDate, labelsFor } from './labels.js';

export const articlePath = slug => `/artikel/${encodeURIComponent(slug)}`;
export const tagPath = slug => `/thema/${encodeURIComponent(slug)}`;
export const authorPath = slug => `/autor/${encodeURIComponent(slug)}`;

/** <time> with the date as the language writes it. */
export function dateline(iso, locale) {
  return iso ? h('time', { datetime: iso }, formatDate(iso, locale)) : null;
}

/** An image from the API, with its own size reserved so nothing jumps when it arrives. */
export function picture(image, { eager = false, className = null } = {}) {
  if (!image) return null;
  return h('img', {
    src: image.url,
    alt: image.alt ?? '',
    width: image.width,
    height: image.height,
    class: className,
    loading: eager ? 'eager' : 'lazy',
    fetchpriority: eager ? 'high' : null,
    decoding: 'async',
  });
}

/**
 * An article card: image, date, reading time and title (the title is the link), as in the
 * "Meistgelesene Artikel" sidebar and the lists. headingLevel keeps the page's h1..h3 order.
 */
export function articleCard(article, { headingLevel = 3, excerpt = false, compact = false } = {}) {
  return h(
    'article',
    { class: compact ? 'card card--compact' : 'card', lang: article.locale },
    picture(article.mainImage, { className: 'card__image' }),
    h(
      'div',
      { class: 'card__body' },
      h(
        'p',
        { class: 'card__meta' },
        dateline(article.publishedAt, article.locale),
        h('span', { class: 'card__reading' }, article.readingTime.label),
      ),
      h(
        `h${headingLevel}`,
        { class: 'card__title' },
        h('a', { href: articlePath(article.slug) }, article.title),
      ),
      excerpt ? h('p', { class: 'card__excerpt' }, article.excerpt) : null,
    ),
  );
}

/** The sidebar: the most read articles (without the one beside it) as compact cards. */
export function mostReadSidebar(mostRead, locale) {
  const words = labelsFor(locale);
  return [
    h('h2', { class: 'sidebar__title', id: 'most-read' }, words.mostRead),
    h(
      'ol',
      { class: 'sidebar__list', 'aria-labelledby': 'most-read' },
      mostRead.edges.map(edge => h('li', {}, articleCard(edge.node, { compact: true }))),
    ),
  ];
}

/** The header's navigation: the front page and the first topics. */
export function siteNav(tags, locale) {
  const words = labelsFor(locale);
  const here = location.pathname;
  const link = (href, text) =>
    h('li', {}, h('a', { href, 'aria-current': href === here ? 'page' : null }, text));
  return h(
    'ul',
    {},
    link('/', words.latest),
    tags.edges.map(({ node }) => link(tagPath(node.slug), node.name)),
  );
}

/** The "older articles" link: the same page with the connection's endCursor as ?after=. */
export function pager(pageInfo, locale, hasPrevious) {
  const words = labelsFor(locale);
  const links = [];
  if (hasPrevious)
    links.push(h('a', { href: location.pathname, class: 'pager__newest' }, words.newest));
  if (pageInfo.hasNextPage) {
    const href = `${location.pathname}?after=${encodeURIComponent(pageInfo.endCursor)}`;
    links.push(h('a', { href, rel: 'next', class: 'pager__older' }, `${words.older} →`));
  }
  return links.length ? h('nav', { class: 'pager', 'aria-label': words.older }, links) : null;
}
