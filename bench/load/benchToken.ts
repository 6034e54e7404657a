import type { BenchDatabase } from '../dataset/BenchDatabase';

/**
 * An analytics:read token for the viewStats scenario, stored as the gateway's token code stores
 * one; null while the gateway has no tokens (issue 3).
 */
export async function createBenchToken(_db: BenchDatabase): Promise<string | null> {
  return null;
}
