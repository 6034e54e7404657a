import { articlePage } from './articlePage.js';
import { mostReadSidebar, siteNav } from './components.js';
import { fill, h } from './dom.js';
import { labelsFor, siteLanguage } from './labels.js';
import { authorPage, listingPage, tagPage } from './listPages.js';

// The page's parts the renderers fill, and what they may change about the document.
const view = {
  main: document.getElementById('main'),
  sidebar: document.getElementById('sidebar'),
  nav: document.getElementById('site-nav'),
  setLanguage(locale) {
    document.documentElement.lang = locale;
    const words = labelsFor(locale);
    document.querySelector('.skip-link').textContent = labelsFor(locale).contents;
    const footer = document.getElementById('footer-text');
    fill(footer, `${words.footer} `, h('a', { href: '/graphql' }, '/graphql'), '.');
  },
  setTitle(title, description) {
    document.title = `${title} – ${labelsFor(document.documentElement.lang).siteName}`;
    if (description) document.querySelector('meta[name="description"]').content = description;
  },
  notFound(data) {
    const words = labelsFor(siteLanguage);
    view.setTitle(words.notFoundTitle);
    fill(view.nav, siteNav(data.tags, siteLanguage));
    fill(
      view.main,
      h('h1', {}, words.notFoundTitle),
      h('p', {}, words.notFound),
      h('p', {}, h('a', { href: '/' }, words.home)),
    );
    fill(view.sidebar, mostReadSidebar(data.mostRead, siteLanguage));
  },
  failed(error) {
    const words = labelsFor(siteLanguage);
    fill(view.main, h('h1', {}, words.notFoundTitle), h('p', { role: 'alert' }, words.failed));
    fill(view.sidebar);
    console.error(error);
  },
};

/** Picks the page for the path: /, /artikel/<slug>, /thema/<slug>, /autor/<slug>. */
function route() {
  const after = new URL(location.href).searchParams.get('after');
  const [, section, rawSlug] = location.pathname.split('/');
  const slug = rawSlug ? decodeURIComponent(rawSlug) : '';
  if (section === 'artikel' && slug) return articlePage(slug, view);
  if (section === 'thema' && slug) return tagPage(slug, after, view);
  if (section === 'autor' && slug) return authorPage(slug, after, view);
  return listingPage(after, view);
}

route().catch(view.failed);
