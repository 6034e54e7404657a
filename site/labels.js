/** The site's own words in German and English; a page picks them by its article's language. */
const labels = {
  de: {
    siteName: 'Berufsbild',
    tagline: 'Das Demo-Magazin des content-gateway',
    latest: 'Neueste Artikel',
    topics: 'Themen',
    mostRead: 'Meistgelesene Artikel',
    related: 'Das könnte Sie auch interessieren',
    alsoIn: 'Andere Sprachen:',
    older: 'Ältere Artikel',
    newest: 'Zu den neuesten Artikeln',
    by: 'Von',
    tags: 'Themen dieses Artikels',
    topic: 'Thema',
    author: 'Autorenprofil',
    articleCount: count => (count === 1 ? '1 Artikel' : `${count} Artikel`),
    contents: 'Inhalt',
    notFound: 'Diese Seite gibt es nicht (mehr).',
    notFoundTitle: 'Nicht gefunden',
    failed: 'Die Inhalte konnten gerade nicht geladen werden. Bitte später noch einmal versuchen.',
    home: 'Zur Startseite',
    footer:
      'Berufsbild ist die Demo des content-gateway: jede Zeile dieser Seite kommt aus der öffentlichen GraphQL-API unter',
    dateLocale: 'de-DE',
    dateOptions: { day: '2-digit', month: '2-digit', year: 'numeric' },
  },
  en: {
    siteName: 'Berufsbild',
    tagline: 'The content-gateway demo magazine',
    latest: 'Latest articles',
    topics: 'Topics',
    mostRead: 'Most read',
    related: 'You might also like',
    alsoIn: 'Other languages:',
    older: 'Older articles',
    newest: 'Back to the latest articles',
    by: 'By',
    tags: 'Topics of this article',
    topic: 'Topic',
    author: 'Author profile',
    articleCount: count => (count === 1 ? '1 article' : `${count} articles`),
    contents: 'Contents',
    notFound: 'This page does not exist (any more).',
    notFoundTitle: 'Not found',
    failed: 'The content could not be loaded just now. Please try again later.',
    home: 'Back to the front page',
    footer:
      'Berufsbild is the content-gateway demo: every line of this page comes from the public GraphQL API at',
    dateLocale: 'en-GB',
    dateOptions: { day: 'numeric', month: 'long', year: 'numeric' },
  },
};

/** The site's own language: the demo magazine is German. */
export const siteLanguage = 'de';

/** The labels for a BCP 47 tag ('de', 'de-AT', 'en-GB'); English for any other language. */
export function labelsFor(locale = siteLanguage) {
  return labels[locale.slice(0, 2).toLowerCase()] ?? labels.en;
}

/** A publication date as the language writes it: 28.01.2025 or 28 January 2025. */
export function formatDate(iso, locale = siteLanguage) {
  const words = labelsFor(locale);
  return new Intl.DateTimeFormat(words.dateLocale, words.dateOptions).format(new Date(iso));
}
