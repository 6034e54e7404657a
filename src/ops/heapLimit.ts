import v8 from 'node:v8';

// V8's heap_size_limit is the old-space limit plus the young generation (48 MB on Node 20 x64).
const youngGenerationSlackMb = 64;

/**
 * Whether the process runs with the heap limit HEAP_MAX_MB asks for. `npm start` passes it to node
 * as --max-old-space-size; a process started another way (a bare `node dist/index.js`) gets V8's
 * own limit, sized from the machine's memory, and a heap that grows lazily towards it. Returns the
 * warning to log, or null.
 */
export function heapLimitWarning(
  heapMaxMb: number,
  limitBytes = v8.getHeapStatistics().heap_size_limit,
): string | null {
  const limitMb = Math.round(limitBytes / 2 ** 20);
  if (limitMb >= heapMaxMb && limitMb <= heapMaxMb + youngGenerationSlackMb) return null;
  return (
    `HEAP_MAX_MB is ${heapMaxMb} but the V8 heap limit is ${limitMb} MB: start with npm start, ` +
    `or with node --max-old-space-size=${heapMaxMb} (README "Memory").`
  );
}
