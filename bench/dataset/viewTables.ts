import type { BenchDatabase } from './BenchDatabase';
import type { ViewBucket } from './generateViews';

/** Where the generator writes view rollups: the tables of the views migration (issue 3). */
export interface ViewTables {
  hourly: { table: string; columns: readonly string[] };
  daily: { table: string; columns: readonly string[] };
  row(bucket: ViewBucket): unknown[];
  /** Anything the views schema derives from the rollups (totals, snapshots), rebuilt once. */
  afterWrite?: (db: BenchDatabase, now: number) => Promise<void>;
}

/** The rollup layout for the migrations present; null until the views migration exists. */
export function viewTablesOf(migrationNames: readonly string[]): ViewTables | null {
  if (!migrationNames.some(name => /view/i.test(name))) return null;
  return null;
}
