import { Random } from './random';

export interface ViewSize {
  /** Views in total, spread over `days` days before now. */
  views: number;
  days: number;
  /** Hours younger than this many days stay hourly; older ones are daily, as after compaction. */
  hourlyRetentionDays: number;
}

export interface ViewBucket {
  articleId: number;
  /** Start of the bucket, epoch ms (UTC hour or UTC day). */
  start: number;
  granularity: 'hour' | 'day';
  views: number;
  uniqueVisitors: number;
}

export interface ViewTarget {
  articleId: number;
  publishedAt: number;
}

const hour = 3_600_000;
const day = 24 * hour;

// Readers by hour of day (UTC), from a morning, lunch and evening peak; weekends at 70 %.
const hourWeights = [
  1, 0.6, 0.4, 0.3, 0.3, 0.6, 1.5, 2.6, 3, 2.4, 2, 2, 2.6, 2.2, 1.8, 1.7, 1.8, 2, 2.4, 2.8, 3, 2.6,
  2, 1.4,
];
const maxHourWeight = Math.max(...hourWeights);
const weekendWeight = 0.7;

/**
 * Views with the skew of a news site: popularity by a Zipf law over a random ranking of the
 * articles (a few far ahead, a long tail), most of an article's views in the days after it
 * appears and the rest spread over its life, a daily and weekly rhythm. Emits the rollup buckets
 * article by article, so memory stays flat whatever the total.
 */
export function generateViews(
  size: ViewSize,
  targets: readonly ViewTarget[],
  seed: number,
  now: number,
  emit: (bucket: ViewBucket) => void,
): { views: number; buckets: number } {
  const random = new Random(seed);
  const ranks = random.sample(
    targets.map((_, i) => i + 1),
    targets.length,
  );
  // Zipf exponent 0.9: the top article gets a few per cent of all views, as on real sites.
  const weights = ranks.map(rank => 1 / rank ** 0.9);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const start = now - size.days * day;
  const currentHour = Math.floor(now / hour) * hour;
  const hourlyFrom = Math.floor((now - size.hourlyRetentionDays * day) / day) * day;
  const slots = new Map<number, number>();
  let views = 0;
  let buckets = 0;
  let carry = 0;
  targets.forEach((target, index) => {
    const exact = (size.views * weights[index]) / total + carry;
    const count = Math.floor(exact);
    carry = exact - count;
    const from = Math.max(start, target.publishedAt);
    const life = currentHour + hour - from;
    if (life <= 0 || count === 0) return;
    slots.clear();
    for (let i = 0; i < count; i += 1) {
      let at = 0;
      for (;;) {
        // 70 % in the first days (mean 2 days after publication), 30 % over the whole life.
        const offset = random.chance(0.7) ? random.exponential(2 * day) : random.next() * life;
        if (offset >= life) continue;
        at = from + offset;
        const date = new Date(at);
        const weight =
          hourWeights[date.getUTCHours()] *
          (date.getUTCDay() === 0 || date.getUTCDay() === 6 ? weekendWeight : 1);
        if (random.next() * maxHourWeight <= weight) break;
      }
      const bucket =
        at >= hourlyFrom ? Math.floor(at / hour) * hour : -(Math.floor(at / day) * day) - 1;
      slots.set(bucket, (slots.get(bucket) ?? 0) + 1);
    }
    for (const [key, bucketViews] of slots) {
      const daily = key < 0;
      // Some readers come back within a bucket: unique visitors are 75-100 % of views.
      const unique = Math.max(1, Math.round(bucketViews * (0.75 + 0.25 * random.next())));
      emit({
        articleId: target.articleId,
        start: daily ? -(key + 1) : key,
        granularity: daily ? 'day' : 'hour',
        views: bucketViews,
        uniqueVisitors: Math.min(unique, bucketViews),
      });
      buckets += 1;
    }
    views += count;
  });
  return { views, buckets };
}
