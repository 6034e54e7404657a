import { registerEnumType } from 'type-graphql';

export enum ArticleStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  ARCHIVED = 'ARCHIVED',
}

export enum BodyFormat {
  HTML = 'HTML',
  MARKDOWN = 'MARKDOWN',
  TEXT = 'TEXT',
}

export enum ArticleOrder {
  PUBLISHED_AT_DESC = 'PUBLISHED_AT_DESC',
  PUBLISHED_AT_ASC = 'PUBLISHED_AT_ASC',
  UPDATED_AT_DESC = 'UPDATED_AT_DESC',
  TITLE_ASC = 'TITLE_ASC',
  /** By search relevance, best first; the default, and only allowed, with filter.search. */
  RELEVANCE = 'RELEVANCE',
}

export enum ViewWindow {
  LAST_24_HOURS = 'LAST_24_HOURS',
  LAST_7_DAYS = 'LAST_7_DAYS',
  LAST_30_DAYS = 'LAST_30_DAYS',
  ALL_TIME = 'ALL_TIME',
  TODAY = 'TODAY',
  YESTERDAY = 'YESTERDAY',
  THIS_WEEK = 'THIS_WEEK',
  LAST_WEEK = 'LAST_WEEK',
  THIS_MONTH = 'THIS_MONTH',
  LAST_MONTH = 'LAST_MONTH',
  CUSTOM = 'CUSTOM',
}

export enum RankingMetric {
  VIEWS = 'VIEWS',
  UNIQUE_VISITORS = 'UNIQUE_VISITORS',
  TRENDING = 'TRENDING',
  READS = 'READS',
}

export enum Granularity {
  HOUR = 'HOUR',
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}

registerEnumType(ArticleStatus, { name: 'ArticleStatus' });
registerEnumType(BodyFormat, { name: 'BodyFormat' });
registerEnumType(ArticleOrder, {
  name: 'ArticleOrder',
  valuesConfig: {
    RELEVANCE: { description: 'Best search match first; needs filter.search, and is its default.' },
  },
});
registerEnumType(ViewWindow, {
  name: 'ViewWindow',
  description:
    "The period views are counted over: a rolling window that ends now, a calendar period of the site's time zone (SITE_TIME_ZONE; weeks start on Monday), all time, or CUSTOM with a range.",
  valuesConfig: {
    LAST_24_HOURS: { description: 'The last 24 hourly buckets, the current one included.' },
    TODAY: { description: 'Since midnight in the site time zone, the current hour included.' },
    YESTERDAY: { description: 'The whole day before today (23, 24 or 25 hours).' },
    THIS_WEEK: { description: 'Since Monday midnight, the current hour included.' },
    LAST_WEEK: { description: 'The whole week (Monday to Sunday) before this one.' },
    THIS_MONTH: { description: 'Since the 1st at midnight, the current hour included.' },
    LAST_MONTH: { description: 'The whole month before this one.' },
    CUSTOM: { description: 'The range argument: required with CUSTOM, and implies it.' },
  },
});
registerEnumType(RankingMetric, {
  name: 'RankingMetric',
  valuesConfig: {
    VIEWS: {
      description: 'Page views counted in the window (one per visitor, article and dedupe period).',
    },
    UNIQUE_VISITORS: { description: 'Distinct visitors in the window.' },
    TRENDING: { description: 'Views in the window weighted towards the most recent hours.' },
    READS: {
      description:
        'Engaged reads in the window: views whose engagement report had at least READ_MIN_SECONDS visible or READ_MIN_SCROLL per cent scrolled.',
    },
  },
});
registerEnumType(Granularity, { name: 'Granularity' });
