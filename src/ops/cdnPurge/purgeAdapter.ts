/** One purge call as an adapter builds it: where to POST, with which headers and body. */
export interface PurgeCall {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * How one purge API is called: its name (the metric label and log), how many keys one call may
 * carry, the call for a batch of keys, and what counts as success beyond a 2xx status.
 */
export interface PurgeAdapter {
  readonly name: 'http' | 'fastly' | 'cloudflare';
  readonly batchSize: number;
  call(keys: readonly string[]): PurgeCall;
  /** Whether a 2xx answer's body says the purge was done (Cloudflare answers 200 with success: false). */
  accepted?(body: string): boolean;
}
