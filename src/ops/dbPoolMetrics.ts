import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { Metrics } from './metrics';

/** The counters node-postgres keeps on its Pool (pg-pool: totalCount, idleCount, waitingCount). */
interface PgPoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

function isPgPool(value: unknown): value is PgPoolCounts {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PgPoolCounts).totalCount === 'number' &&
    typeof (value as PgPoolCounts).idleCount === 'number'
  );
}

/**
 * gateway_db_pool_connections{state}: on PostgreSQL the pool's open, idle, in-use and waiting
 * counts, read when Prometheus scrapes; on SQLite the one shared connection (open 1) and whether the
 * database is connected. Pool exhaustion shows as waiting > 0.
 */
export function registerDbPoolMetrics(metrics: Metrics, db: DataSource): void {
  new Gauge({
    name: 'gateway_db_pool_connections',
    help: 'Database connections by state (open, idle, in_use, waiting).',
    labelNames: ['state'],
    registers: [metrics.registry],
    collect() {
      this.reset();
      const pool: unknown = (db.driver as unknown as { master?: unknown }).master;
      if (isPgPool(pool)) {
        this.set({ state: 'open' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      } else {
        this.set({ state: 'open' }, db.isInitialized ? 1 : 0);
      }
    },
  });
}
