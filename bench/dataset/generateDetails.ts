import type { ViewBucket } from './generateViews';
import type { Random } from './random';

/** A source rollup row as the TrafficSources migration keeps it. */
export interface SourceRow {
  articleId: number;
  start: number;
  source: string;
  host: string;
  campaign: string;
  views: number;
  uniqueVisitors: number;
}

/** An engagement rollup row. */
export interface EngagementRow {
  articleId: number;
  start: number;
  reports: number;
  reads: number;
  engagedSeconds: number;
}

type Weighted<T> = readonly (readonly [T, number])[];

// A German news site's day, roughly as Plausible and Parse.ly publish their referrer shares.
const sources: Weighted<string> = [
  ['SEARCH', 0.3],
  ['DIRECT', 0.25],
  ['SOCIAL', 0.15],
  ['INTERNAL', 0.15],
  ['NEWSLETTER', 0.07],
  ['CAMPAIGN', 0.03],
  ['OTHER', 0.05],
];
const searchHosts: Weighted<string> = [
  ['google.com', 0.5],
  ['google.de', 0.3],
  ['bing.com', 0.08],
  ['duckduckgo.com', 0.05],
  ['ecosia.org', 0.04],
  ['news.google.com', 0.03],
];
const socialHosts: Weighted<string> = [
  ['l.facebook.com', 0.35],
  ['t.co', 0.2],
  ['linkedin.com', 0.15],
  ['reddit.com', 0.1],
  ['l.instagram.com', 0.1],
  ['bsky.app', 0.05],
  ['mastodon.social', 0.05],
];
const mailHosts: Weighted<string> = [
  ['', 0.7],
  ['mail.google.com', 0.2],
  ['outlook.live.com', 0.1],
];
// Other referring sites: a long tail of 300 (blogs, forums, aggregators), Zipf-weighted.
const otherHosts: Weighted<string> = Array.from(
  { length: 300 },
  (_, index) => [`site-${index + 1}.example`, 1 / (index + 1)] as const,
);

function pick<T>(random: Random, items: Weighted<T>): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let at = random.next() * total;
  for (const [item, weight] of items) {
    at -= weight;
    if (at <= 0) return item;
  }
  return items[items.length - 1][0];
}

/**
 * The source and engagement rows of one view bucket, as the gateway would have written them:
 * each view drawn a source, host and campaign, hosts and campaigns beyond `maxKeysPerDay` per
 * article and UTC day counted as "(other)" (`dayKeys` carries the day's keys between buckets),
 * 60 % of views reporting their engagement and 55 % of those reads.
 */
export function detailRows(
  bucket: ViewBucket,
  random: Random,
  maxKeysPerDay: number,
  dayKeys: Map<string, { hosts: Set<string>; campaigns: Set<string> }>,
): { sources: SourceRow[]; engagement: EngagementRow | null } {
  const day = bucket.start - (bucket.start % 86_400_000);
  const dayKey = `${bucket.articleId}:${day}`;
  let keys = dayKeys.get(dayKey);
  if (!keys) {
    keys = { hosts: new Set(), campaigns: new Set() };
    dayKeys.set(dayKey, keys);
  }
  const admit = (set: Set<string>, value: string) => {
    if (value === '' || set.has(value)) return value;
    if (set.size >= maxKeysPerDay) return '(other)';
    set.add(value);
    return value;
  };
  const date = new Date(day).toISOString().slice(0, 10);
  const rows = new Map<string, SourceRow>();
  for (let n = 0; n < bucket.views; n += 1) {
    const source = pick(random, sources);
    let host = '';
    let campaign = '';
    if (source === 'SEARCH') host = pick(random, searchHosts);
    else if (source === 'SOCIAL') host = pick(random, socialHosts);
    else if (source === 'OTHER') host = pick(random, otherHosts);
    else if (source === 'NEWSLETTER') {
      host = pick(random, mailHosts);
      campaign = `morgen-${date}`;
    } else if (source === 'CAMPAIGN') campaign = `kampagne-${1 + Math.floor(random.next() * 10)}`;
    host = admit(keys.hosts, host);
    campaign = admit(keys.campaigns, campaign);
    const key = `${source}\0${host}\0${campaign}`;
    const row = rows.get(key) ?? {
      articleId: bucket.articleId,
      start: bucket.start,
      source,
      host,
      campaign,
      views: 0,
      uniqueVisitors: 0,
    };
    row.views += 1;
    if (n < bucket.uniqueVisitors) row.uniqueVisitors += 1;
    rows.set(key, row);
  }
  const reports = Math.round(bucket.views * 0.6);
  const reads = Math.round(reports * 0.55);
  return {
    sources: [...rows.values()],
    engagement:
      reports === 0
        ? null
        : {
            articleId: bucket.articleId,
            start: bucket.start,
            reports,
            reads,
            engagedSeconds: reports * (40 + Math.floor(random.next() * 60)),
          },
  };
}
