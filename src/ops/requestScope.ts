/**
 * What is tracked for one request: its id, the SQL statements it ran, its cost. Made by the HTTP
 * layer and carried in the GraphQL context (Context.scope), not in AsyncLocalStorage: on Node.js 20
 * that enables a promise hook for every promise in the process, which cost 10 % of the listing
 * page's CPU (README "Performance").
 */
export interface RequestScope {
  requestId: string;
  statements: number;
  /** The client's address as express resolves it (TRUST_PROXY); never logged or stored raw. */
  clientIp?: string;
  /** The operation's cost, once the query limits accepted it. */
  cost?: number;
}
