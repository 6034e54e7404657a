import { LocalViewMemory } from '../src/views/localViewMemory';

/**
 * How long the view guard's local memory holds the event loop when its memory is full: admits 1.5 million
 * distinct visitors (one a millisecond, all within the dedupe period) into a guard capped at a
 * million entries, the default VIEW_MEMORY_MAX_ENTRIES, and prints the longest admits. Each
 * eviction of the oldest tenth is one of them.
 * Usage: npm run bench -- --quick (builds it), then node dist/bench/bench/guardStall.js
 */
function main(): void {
  const guard = new LocalViewMemory({
    dedupeMinutes: 30,
    ratePerMinute: 1e9,
    memoryMaxEntries: 1e6,
  });
  // A fixed linear congruential sequence: the same visitors every run.
  let seed = 12345;
  const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
  const start = Date.UTC(2026, 11, 3, 8);
  const slow: { at: number; ms: number }[] = [];
  const began = process.hrtime.bigint();
  for (let i = 0; i < 1_500_000; i += 1) {
    const visitor = { hi: next(), lo: next() };
    const before = process.hrtime.bigint();
    guard.admit(i % 5000, visitor, start + i);
    const ms = Number(process.hrtime.bigint() - before) / 1e6;
    if (ms > 5) slow.push({ at: i, ms });
  }
  const total = Number(process.hrtime.bigint() - began) / 1e6;
  slow.sort((a, b) => b.ms - a.ms);
  process.stdout.write(
    `1.5 million admits in ${total.toFixed(0)} ms; ${slow.length} took over 5 ms; the longest: ${slow
      .slice(0, 6)
      .map(({ at, ms }) => `${ms.toFixed(0)} ms (admit ${at})`)
      .join(', ')}\n`,
  );
}

main();
