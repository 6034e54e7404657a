import { graphql } from './api.js';
import { articleCard, mostReadSidebar, pager, picture, siteNav } from './components.js';
import { fill, h } from './dom.js';
import { labelsFor, siteLanguage } from './labels.js';
import { authorPageQuery, listingPageQuery, tagPageQuery } from './queries.js';

// Articles per page of a list; "older articles" pages on with the connection's endCursor.
const pageSize = 10;

/** A list of article cards with its heading, intro and pager (front page, topic, author). */
function renderList(view, data, { heading, intro = null, portrait = null, connection, after }) {
  fill(view.nav, siteNav(data.tags, siteLanguage));
  fill(
    view.main,
    h(
      'header',
      { class: 'list__header' },
      portrait,
      h('div', {}, h('h1', {}, heading), intro ? h('p', { class: 'list__intro' }, intro) : null),
    ),
    h(
      'ol',
      { class: 'list', 'aria-label': heading },
      connection.edges.map(({ node }) =>
        h('li', {}, articleCard(node, { headingLevel: 2, excerpt: true })),
      ),
    ),
    pager(connection.pageInfo, siteLanguage, Boolean(after)),
  );
  fill(view.sidebar, mostReadSidebar(data.mostRead, siteLanguage));
}

/** The front page: the newest articles first, paged by cursor. */
export async function listingPage(after, view) {
  const data = await graphql(listingPageQuery, { first: pageSize, after });
  const words = labelsFor(siteLanguage);
  view.setTitle(
    after ? `${words.latest} (${words.older})` : `${words.siteName}: ${words.latest}`,
    words.tagline,
  );
  renderList(view, data, { heading: words.latest, connection: data.articles, after });
}

/** A topic's page: its description and its articles. */
export async function tagPage(slug, after, view) {
  const data = await graphql(tagPageQuery, { slug, first: pageSize, after });
  if (!data.tag) return view.notFound(data);
  const words = labelsFor(siteLanguage);
  view.setTitle(`${words.topic}: ${data.tag.name}`, data.tag.description);
  renderList(view, data, {
    heading: data.tag.name,
    intro: [data.tag.description, words.articleCount(data.tag.articleCount)]
      .filter(Boolean)
      .join(' · '),
    connection: data.tag.articles,
    after,
  });
}

/** The author's avatar at its size, 96 px square where the API gives none, named after them. */
function avatarImage({ avatar, name }) {
  if (!avatar) return null;
  return {
    ...avatar,
    width: avatar.width ?? 96,
    height: avatar.height ?? 96,
    alt: avatar.alt ?? name,
  };
}

/** An author's page: portrait, biography and their articles. */
export async function authorPage(slug, after, view) {
  const data = await graphql(authorPageQuery, { slug, first: pageSize, after });
  if (!data.author) return view.notFound(data);
  const words = labelsFor(siteLanguage);
  view.setTitle(data.author.name, data.author.bio);
  renderList(view, data, {
    heading: data.author.name,
    intro: [data.author.bio, words.articleCount(data.author.articleCount)]
      .filter(Boolean)
      .join(' · '),
    portrait: picture(avatarImage(data.author), { eager: true, className: 'list__portrait' }),
    connection: data.author.articles,
    after,
  });
}
