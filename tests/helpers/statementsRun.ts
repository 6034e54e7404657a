import type { TestGateway } from './testGateway';

/**
 * Total SQL statements the gateway ran so far (gateway_db_statements_total), the view flusher's
 * included: a test that compares two readings stops the flusher or knows it is idle.
 */
export async function statementsRun(gateway: TestGateway): Promise<number> {
  return (await gateway.metrics.dbStatements.get()).values[0]?.value ?? 0;
}
