/** The smallest table (slots); a power of two. */
const minCapacity = 1024;

/**
 * A hash table from 64-bit keys to numbers, held in four typed arrays (key halves, values, used
 * flags): no JavaScript object per entry, so the garbage collector has nothing in it to trace or
 * copy, however many entries it holds (as a Map, a million visitor entries took 287 MB of heap:
 * README "Memory"). 17 bytes a slot, at most half the slots used.
 *
 * Keys are two uint32 halves that are already uniformly distributed (they come from SHA-256
 * digests), so the low half serves as the slot index directly. Open addressing with linear probing;
 * `sweep` deletes in place with backward shifts (no tombstones), so dropping a tenth of a million
 * entries at the cap needs no new arrays and no reinsertion of the rest.
 */
export class HashKeyTable {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private values: Float64Array;
  private used: Uint8Array;
  private count = 0;

  constructor(capacity = minCapacity) {
    const slots = slotsFor(capacity);
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.values = new Float64Array(slots);
    this.used = new Uint8Array(slots);
  }

  /** Entries held. */
  get size(): number {
    return this.count;
  }

  /** Slots allocated (entries held stay at most half of it). */
  get capacity(): number {
    return this.used.length;
  }

  /** Whether adding one more key would double the table. */
  get full(): boolean {
    return (this.count + 1) * 2 > this.used.length;
  }

  /** The value of a key, or undefined. */
  get(hi: number, lo: number): number | undefined {
    const slot = this.find(hi >>> 0, lo >>> 0);
    return this.used[slot] ? this.values[slot] : undefined;
  }

  /** Sets the value of a key, adding it if new; doubles the table when it would be over half full. */
  set(hi: number, lo: number, value: number): void {
    hi >>>= 0;
    lo >>>= 0;
    let slot = this.find(hi, lo);
    if (!this.used[slot]) {
      if (this.full) {
        this.rebuild(this.used.length * 2);
        slot = this.find(hi, lo);
      }
      this.used[slot] = 1;
      this.hi[slot] = hi;
      this.lo[slot] = lo;
      this.count += 1;
    }
    this.values[slot] = value;
  }

  /**
   * Keeps only the entries whose value `keep` accepts (it is called once for each entry), deleting
   * the others in place; a table left mostly empty is rebuilt smaller (at most a third full).
   * Returns how many were dropped.
   */
  sweep(keep: (value: number) => boolean): number {
    const before = this.count;
    const slots = this.used.length;
    const mask = slots - 1;
    // Start at an empty slot (there is one: the table is at most half full), so that no run of used
    // slots wraps around past the start and every entry is met exactly once. A deletion pulls later
    // entries of the run back, which have not been met yet: the same slot is looked at again.
    let start = 0;
    while (this.used[start]) start += 1;
    for (let step = 1; step < slots; ) {
      const slot = (start + step) & mask;
      if (this.used[slot] && !keep(this.values[slot])) this.remove(slot);
      else step += 1;
    }
    if (this.count * 8 < slots && slots > minCapacity) this.rebuild(this.count * 3);
    return before - this.count;
  }

  /** Calls `visit` with every value (in no particular order). */
  forEachValue(visit: (value: number) => void): void {
    for (let slot = 0; slot < this.used.length; slot += 1) {
      if (this.used[slot]) visit(this.values[slot]);
    }
  }

  /** Drops every entry; keeps the slots unless most of them were unused. */
  clear(): void {
    if (this.count * 8 < this.used.length && this.used.length > minCapacity) {
      this.rebuild(this.count * 4, false);
      return;
    }
    this.used.fill(0);
    this.count = 0;
  }

  /** The slot of a key: where it is, or the empty slot where it would go. */
  private find(hi: number, lo: number): number {
    const mask = this.used.length - 1;
    let slot = lo & mask;
    while (this.used[slot] && (this.lo[slot] !== lo || this.hi[slot] !== hi)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /**
   * Empties a slot and closes the gap (backward-shift deletion): each later entry of the run moves
   * into the hole when the hole lies between its home slot and where it is, so every key stays
   * reachable from its home without tombstones.
   */
  private remove(slot: number): void {
    const mask = this.used.length - 1;
    let hole = slot;
    this.used[hole] = 0;
    this.count -= 1;
    for (let next = (hole + 1) & mask; this.used[next]; next = (next + 1) & mask) {
      const home = this.lo[next] & mask;
      if (((next - home) & mask) < ((next - hole) & mask)) continue;
      this.hi[hole] = this.hi[next];
      this.lo[hole] = this.lo[next];
      this.values[hole] = this.values[next];
      this.used[hole] = 1;
      this.used[next] = 0;
      hole = next;
    }
  }

  /** A new table of at least `capacity` slots, with the entries moved into it unless told not to. */
  private rebuild(capacity: number, moveEntries = true): void {
    const { hi, lo, values, used } = this;
    const slots = slotsFor(capacity);
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.values = new Float64Array(slots);
    this.used = new Uint8Array(slots);
    this.count = 0;
    for (let old = 0; moveEntries && old < used.length; old += 1) {
      if (!used[old]) continue;
      const slot = this.find(hi[old], lo[old]);
      this.used[slot] = 1;
      this.hi[slot] = hi[old];
      this.lo[slot] = lo[old];
      this.values[slot] = values[old];
      this.count += 1;
    }
  }
}

/** The power of two at or above `capacity`, at least minCapacity. */
function slotsFor(capacity: number): number {
  let slots = minCapacity;
  while (slots < capacity) slots *= 2;
  return slots;
}
