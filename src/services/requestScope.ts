import { AsyncLocalStorage } from 'node:async_hooks';

/** What is tracked for one request across its async work: its id and the SQL statements it ran. */
export interface RequestScope {
  requestId: string;
  statements: number;
  /** The client's address as express resolves it (TRUST_PROXY); never logged or stored raw. */
  clientIp?: string;
  /** The operation's cost, once the query limits accepted it. */
  cost?: number;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs fn with a fresh scope; everything it awaits counts towards that scope. */
export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The scope of the request being served, if any. */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
