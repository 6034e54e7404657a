import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { dialectOf } from '../../db/dialect';
import { writeTransaction } from '../../db/writeTransaction';
import { ArticleStatus } from '../../entities/enums';
import { dayMs, hourMs, startOfHour } from '../../views/timeBuckets';
import { addViewCounts, type BucketCount } from '../../views/viewRollups';

/** mulberry32: a small seeded PRNG, so the demo history is the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// Weekdays read more than weekends (Monday first), a shape seen in news-site traffic reports.
const weekdayFactor = [1.1, 1.15, 1.1, 1.05, 0.95, 0.7, 0.75];
// Reading by UTC hour for a German audience: morning commute, lunch and an evening peak.
const hourShare = [
  0.5, 0.3, 0.2, 0.2, 0.4, 1.2, 2.6, 3.4, 3.0, 2.4, 2.2, 2.8, 3.0, 2.4, 2.0, 2.0, 2.2, 2.8, 3.6,
  4.0, 3.4, 2.2, 1.2, 0.8,
];
const hourShareTotal = hourShare.reduce((sum, share) => sum + share, 0);

export interface DemoViewOptions {
  days?: number;
  viewsPerDay?: number;
  seed?: number;
}

/**
 * Generates the demo site's view history on first start: `days` (90) of hourly rollups ending at
 * `now`, with a skew (Zipf-like popularity: a few articles far ahead, a long tail), a weekly and a
 * daily rhythm, a launch bump after publication, and nothing before an article was published.
 * Deterministic for a given `now` and seed. Does nothing where any views exist already.
 */
export async function seedDemoViews(
  db: DataSource,
  now: Date,
  log: Logger,
  options: DemoViewOptions = {},
): Promise<boolean> {
  const [{ total }] = (await db.query('SELECT COUNT(*) AS total FROM article_view_total')) as {
    total: number;
  }[];
  if (Number(total) > 0) return false;
  const articles = (
    (await db.query(
      `SELECT internal_id, published_at FROM article WHERE status = '${ArticleStatus.PUBLISHED}' AND published_at IS NOT NULL ORDER BY internal_id`,
    )) as { internal_id: number; published_at: number }[]
  ).map(row => ({ id: Number(row.internal_id), publishedAt: Number(row.published_at) }));
  if (articles.length === 0) return false;

  const random = seededRandom(options.seed ?? 20261129);
  const days = options.days ?? 90;
  const viewsPerDay = options.viewsPerDay ?? 6000;
  // Popularity by a seeded shuffle: rank r gets weight 1 / (r + 1)^1.2.
  const ranks = articles.map((_, index) => index);
  for (let index = ranks.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [ranks[index], ranks[other]] = [ranks[other], ranks[index]];
  }
  const weights = ranks.map(rank => 1 / Math.pow(rank + 1, 1.2));
  const weightTotal = weights.reduce((sum, weight) => sum + weight, 0);

  const end = startOfHour(now.getTime());
  const rows: BucketCount[] = [];
  for (let hour = end - days * dayMs + hourMs; hour <= end; hour += hourMs) {
    const date = new Date(hour);
    const weekday = (date.getUTCDay() + 6) % 7;
    const siteViews =
      (viewsPerDay * weekdayFactor[weekday] * hourShare[date.getUTCHours()]) / hourShareTotal;
    articles.forEach((article, index) => {
      if (article.publishedAt > hour) return;
      // A launch bump: three times the usual reading in the first two days, fading over a week.
      const ageDays = (hour - article.publishedAt) / dayMs;
      const launch = 1 + 2 * Math.exp(-ageDays / 3);
      const expected = (siteViews * weights[index] * launch) / weightTotal;
      const views = Math.floor(expected * (0.7 + 0.6 * random()) + random());
      if (views === 0) return;
      const uniqueVisitors = Math.max(1, Math.round(views * (0.78 + 0.15 * random())));
      rows.push({ articleId: article.id, bucketStart: hour, views, uniqueVisitors });
    });
  }
  await writeTransaction(db, manager => addViewCounts(manager, dialectOf(db), rows));
  log.info(
    { rows: rows.length, views: rows.reduce((sum, row) => sum + row.views, 0) },
    'demo view history generated',
  );
  return true;
}
