import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The gateway's Prometheus metrics, one registry per server instance (tests run several in one
 * process). Names follow Prometheus conventions: a unit suffix, _total on counters.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gateway_process_' });
  return {
    registry,
    requests: new Counter({
      name: 'gateway_graphql_requests_total',
      help: 'GraphQL requests by operation name (unnamed, or other past the label limit).',
      labelNames: ['operation'],
      registers: [registry],
    }),
    requestDuration: new Histogram({
      name: 'gateway_graphql_request_duration_seconds',
      help: 'GraphQL request duration by operation name.',
      labelNames: ['operation'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'gateway_graphql_errors_total',
      help: 'Errors sent to clients, by extensions.code.',
      labelNames: ['code'],
      registers: [registry],
    }),
    dbStatements: new Counter({
      name: 'gateway_db_statements_total',
      help: 'SQL statements run against the database.',
      registers: [registry],
    }),
    viewsRecorded: new Counter({
      name: 'gateway_views_recorded_total',
      help: 'recordView calls by result: counted, or the reason it was not (bot, prefetch, repeat, rate, unpublished).',
      labelNames: ['result'],
      registers: [registry],
    }),
    viewsBuffered: new Gauge({
      name: 'gateway_views_buffered',
      help: 'Counted views in memory, not yet written by the flusher.',
      registers: [registry],
    }),
    // The view memory shared through Redis (README "Counting views").
    viewMemoryFallback: new Counter({
      name: 'gateway_view_memory_fallback_total',
      help: "Views decided in this process's own memory because the shared view memory (Redis) did not answer.",
      registers: [registry],
    }),
    viewMemoryShared: new Gauge({
      name: 'gateway_view_memory_shared',
      help: "1 while the view guard's memory is the one in Redis shared by all replicas, 0 while it is this process's own (no REDIS_URL, or falling back).",
      registers: [registry],
    }),
    viewFlushDuration: new Histogram({
      name: 'gateway_view_flush_duration_seconds',
      help: 'Duration of one view flush transaction.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    rejectedQueries: new Counter({
      name: 'gateway_rejected_queries_total',
      help: 'Requests refused by a query limit before execution, by limit (depth, cost, aliases, directives, tokens, length, body_size, first).',
      labelNames: ['limit'],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'gateway_rate_limited_requests_total',
      help: 'Requests refused with RATE_LIMITED, by bucket (ip, token, views_ip, views_token).',
      labelNames: ['bucket'],
      registers: [registry],
    }),
    // Signed webhooks (README "Webhooks").
    webhookAttempts: new Counter({
      name: 'gateway_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome: delivered (2xx), retrying (failed, due again), failed (given up after the last attempt or the max age).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    webhookDuration: new Histogram({
      name: 'gateway_webhook_delivery_duration_seconds',
      help: 'Duration of one webhook attempt, from the request to the answer (or the timeout), by outcome.',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

// Client-chosen operation names become labels: bounded in form and number, or Prometheus suffers.
const maxOperationLabels = 200;

/** A bounded label for an operation name. */
export function operationLabel(name: string | null | undefined, seen: Set<string>): string {
  if (!name) return 'unnamed';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'other';
  if (!seen.has(name)) {
    if (seen.size >= maxOperationLabels) return 'other';
    seen.add(name);
  }
  return name;
}
