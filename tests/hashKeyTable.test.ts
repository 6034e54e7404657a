import fc from 'fast-check';
import { HashKeyTable } from '../src/views/hashKeyTable';

describe('HashKeyTable', () => {
  it('stores, updates and finds values by 64-bit key', () => {
    const table = new HashKeyTable();
    table.set(1, 2, 10);
    table.set(1, 3, 20);
    table.set(0xffffffff, 2, 30);
    table.set(1, 2, 11);
    expect(table.size).toBe(3);
    expect(table.get(1, 2)).toBe(11);
    expect(table.get(1, 3)).toBe(20);
    expect(table.get(0xffffffff, 2)).toBe(30);
    expect(table.get(-1, 2)).toBe(30); // the same 32 bits, read as unsigned
    expect(table.get(2, 1)).toBeUndefined();
  });

  it('keeps keys apart that share the slot index (equal low halves)', () => {
    const table = new HashKeyTable();
    for (let hi = 0; hi < 500; hi += 1) table.set(hi, 7, hi * 2);
    for (let hi = 0; hi < 500; hi += 1) expect(table.get(hi, 7)).toBe(hi * 2);
    expect(table.size).toBe(500);
  });

  it('grows past its first size and stays at most half full', () => {
    const table = new HashKeyTable();
    for (let i = 0; i < 100_000; i += 1) table.set(i * 2654435761, i, i);
    expect(table.size).toBe(100_000);
    expect(table.capacity).toBeGreaterThanOrEqual(200_000);
    expect(table.capacity).toBeLessThanOrEqual(400_000);
    for (let i = 0; i < 100_000; i += 7) expect(table.get(i * 2654435761, i)).toBe(i);
  });

  it('sweeps: keeps what keep accepts, asks once per entry, and shrinks', () => {
    const table = new HashKeyTable();
    for (let i = 0; i < 10_000; i += 1) table.set(i, i * 31, i);
    const asked: number[] = [];
    const dropped = table.sweep(value => {
      asked.push(value);
      return value % 10 === 0;
    });
    expect(dropped).toBe(9_000);
    expect(asked.sort((a, b) => a - b)).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(table.size).toBe(1_000);
    expect(table.capacity).toBeLessThanOrEqual(4096);
    expect(table.get(20, 620)).toBe(20);
    expect(table.get(21, 651)).toBeUndefined();
  });

  it('clears, and gives the slots back when most were unused', () => {
    const table = new HashKeyTable();
    for (let i = 0; i < 50_000; i += 1) table.set(i, i, 1);
    table.clear();
    expect(table.size).toBe(0);
    expect(table.get(5, 5)).toBeUndefined();
    expect(table.capacity).toBeGreaterThanOrEqual(100_000); // a busy minute is likely followed by one
    table.set(1, 1, 1);
    table.clear();
    expect(table.capacity).toBe(1024);
  });

  it('behaves like a Map under any sequence of sets, sweeps and clears', () => {
    const key = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }));
    const operation = fc.oneof(
      fc.record({ set: key, value: fc.integer({ min: 0, max: 1000 }) }),
      fc.record({ sweepBelow: fc.integer({ min: 0, max: 1000 }) }),
      fc.constant({ clear: true as const }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300 }), operations => {
        const table = new HashKeyTable();
        const model = new Map<string, number>();
        for (const op of operations) {
          if ('set' in op) {
            // Low halves spread over few slots on purpose, so probe chains get long.
            table.set(op.set[0], op.set[1] * 64, op.value);
            model.set(`${op.set[0]}:${op.set[1] * 64}`, op.value);
          } else if ('sweepBelow' in op) {
            table.sweep(value => value >= op.sweepBelow);
            for (const [k, value] of model) if (value < op.sweepBelow) model.delete(k);
          } else {
            table.clear();
            model.clear();
          }
          if (table.size !== model.size) return false;
        }
        for (let hi = 0; hi <= 40; hi += 4) {
          for (let lo = 0; lo <= 40; lo += 1) {
            if (table.get(hi, lo * 64) !== model.get(`${hi}:${lo * 64}`)) return false;
          }
        }
        for (const [k, value] of model) {
          const [hi, lo] = k.split(':').map(Number);
          if (table.get(hi, lo) !== value) return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });

  it('sweeps in place runs that wrap around the end of the table, asking once per entry', () => {
    // Low halves at the last and first slots of the 1024-slot table: their runs cross slot 0.
    const low = fc.oneof(fc.integer({ min: 1012, max: 1023 }), fc.integer({ min: 0, max: 3 }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), low, fc.integer({ min: 0, max: 99 })), {
          maxLength: 400,
        }),
        fc.integer({ min: 0, max: 100 }),
        (entries, keepFrom) => {
          const table = new HashKeyTable();
          const model = new Map<string, number>();
          for (const [hi, lo, value] of entries) {
            table.set(hi, lo, value);
            model.set(`${hi}:${lo}`, value);
          }
          let asked = 0;
          const dropped = table.sweep(value => {
            asked += 1;
            return value >= keepFrom;
          });
          if (asked !== model.size) return false;
          let expectedDrops = 0;
          for (const [k, value] of model) {
            if (value < keepFrom) {
              model.delete(k);
              expectedDrops += 1;
            }
          }
          if (dropped !== expectedDrops || table.size !== model.size) return false;
          for (const [hi, lo] of entries) {
            if (table.get(hi, lo) !== model.get(`${hi}:${lo}`)) return false;
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
});
