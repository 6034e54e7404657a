import type { ResponseStore, StoredResponse } from './responseStore';

interface Held {
  response: StoredResponse;
  tags: readonly string[];
  bytes: number;
  expiresAt: number;
}

// What an entry costs besides its body and keys: the map entries, the headers, the objects.
const entryOverheadBytes = 512;

/**
 * The response cache in this process's memory: least recently used answers go first once their
 * estimated size passes `maxBytes` (RESPONSE_CACHE_MAX_BYTES); an answer larger than a quarter of
 * it is not kept. A tag index finds every answer of a cache key at once.
 */
export class MemoryResponseStore implements ResponseStore {
  // A Map keeps insertion order: a hit moves its entry to the end, eviction takes the first.
  private readonly entries = new Map<string, Held>();
  private readonly byTag = new Map<string, Set<string>>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly now: () => number,
  ) {}

  /** Estimated bytes held (for tests and the metric). */
  get size(): number {
    return this.bytes;
  }

  async get(key: string): Promise<StoredResponse | null> {
    const held = this.entries.get(key);
    if (!held) return null;
    if (held.expiresAt <= this.now()) {
      this.remove(key);
      return null;
    }
    this.entries.delete(key);
    this.entries.set(key, held);
    return held.response;
  }

  async set(
    key: string,
    response: StoredResponse,
    ttlMs: number,
    tags: readonly string[],
  ): Promise<void> {
    this.remove(key);
    const bytes =
      entryOverheadBytes +
      2 * (key.length + response.body.length + tags.reduce((sum, tag) => sum + tag.length, 0));
    if (bytes > this.maxBytes / 4 || ttlMs <= 0) return;
    this.entries.set(key, { response, tags, bytes, expiresAt: this.now() + ttlMs });
    this.bytes += bytes;
    for (const tag of tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest);
    }
  }

  async invalidate(tags: readonly string[]): Promise<void> {
    for (const tag of tags) {
      const keys = this.byTag.get(tag);
      if (!keys) continue;
      for (const key of [...keys]) this.remove(key);
      this.byTag.delete(tag);
    }
  }

  private remove(key: string): void {
    const held = this.entries.get(key);
    if (!held) return;
    this.entries.delete(key);
    this.bytes -= held.bytes;
    for (const tag of held.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
  }
}
