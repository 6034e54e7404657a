/** One cached GraphQL answer: what is sent again on a hit. */
export interface StoredResponse {
  status: number;
  /** Apollo's answer headers (content-type, cache-control, vary, cache tags), lower-case names. */
  headers: [string, string][];
  body: string;
  /** When it was stored (epoch ms): the Age header of a hit. */
  storedAt: number;
}

/**
 * Where the response cache keeps answers: this process's memory (an LRU with a byte cap) or
 * Redis. Each answer is stored under its request key with the cache keys of what it contains;
 * `invalidate` drops every answer that carries one of the given keys.
 */
export interface ResponseStore {
  get(key: string): Promise<StoredResponse | null>;
  set(key: string, response: StoredResponse, ttlMs: number, tags: readonly string[]): Promise<void>;
  invalidate(tags: readonly string[]): Promise<void>;
}
