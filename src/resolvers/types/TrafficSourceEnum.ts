import { registerEnumType } from 'type-graphql';
import { TrafficSource } from '../../views/trafficSource';

/** Where views came from, as GraphQL names them (src/views/trafficSource.ts classifies). */
registerEnumType(TrafficSource, {
  name: 'TrafficSource',
  description:
    'Where a view came from, from its referrer and the page URL\'s utm_* parameters (README "Analytics jobs").',
  valuesConfig: {
    SEARCH: { description: 'A search engine (Google, Bing, DuckDuckGo, Ecosia, ...).' },
    SOCIAL: {
      description: 'A social network or messenger (Facebook, X, LinkedIn, Reddit, Mastodon, ...).',
    },
    NEWSLETTER: {
      description: 'A mail: utm_medium=email or newsletter, or a webmail or mail app.',
    },
    CAMPAIGN: { description: 'Any other link tagged with utm_source, utm_medium or utm_campaign.' },
    INTERNAL: { description: "The site's own pages (the page's host, SITE_HOSTS)." },
    DIRECT: { description: 'No referrer: typed, bookmarked, or an app that sends none.' },
    OTHER: { description: 'Any other referring site.' },
  },
});

export { TrafficSource };
