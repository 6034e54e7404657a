import type { BenchDatabase } from './BenchDatabase';
import type { ViewBucket } from './generateViews';

/** Where the generator writes view rollups: the tables of the views migration. */
export interface ViewTables {
  hourly: { table: string; columns: readonly string[] };
  daily: { table: string; columns: readonly string[] };
  /** The current hour's rollup the flusher writes (RecentViews migration), if the schema has it. */
  recent: string | null;
  row(bucket: ViewBucket): unknown[];
  /** Anything the views schema derives from the rollups (running totals), rebuilt once. */
  afterWrite?: (db: BenchDatabase) => Promise<void>;
}

const columns = ['article_id', 'bucket_start', 'views', 'unique_visitors'] as const;

/**
 * The rollup layout of src/db/migrations/1764500000000-ViewSchema.ts: hourly rows inside the
 * hourly retention, daily rows before it (as compaction leaves them), and article_view_total,
 * the running total ALL_TIME reads. The generator leaves article_view_recent (1764600000000) empty. Null where the migrations have no views schema.
 */
export function viewTablesOf(migrationNames: readonly string[]): ViewTables | null {
  if (!migrationNames.includes('ViewSchema1764500000000')) return null;
  return {
    hourly: { table: 'article_view_hour', columns },
    daily: { table: 'article_view_day', columns },
    recent: migrationNames.includes('RecentViews1764600000000') ? 'article_view_recent' : null,
    row: bucket => [bucket.articleId, bucket.start, bucket.views, bucket.uniqueVisitors],
    afterWrite: async db => {
      await db.exec(`INSERT INTO article_view_total (article_id, views, unique_visitors)
        SELECT article_id, SUM(views), SUM(unique_visitors) FROM (
          SELECT article_id, views, unique_visitors FROM article_view_hour
          UNION ALL
          SELECT article_id, views, unique_visitors FROM article_view_day
        ) r GROUP BY article_id`);
    },
  };
}
