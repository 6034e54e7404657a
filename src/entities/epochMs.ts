import type { ValueTransformer } from 'typeorm';

/**
 * Instants are stored as UTC epoch milliseconds (BIGINT) on both dialects: comparisons, keyset
 * cursors and hour buckets then need no per-dialect date functions or time-zone handling.
 */
export const epochMs: ValueTransformer = {
  to: (value: Date | null | undefined) => (value == null ? value : value.getTime()),
  from: (value: string | number | null) => (value == null ? null : new Date(Number(value))),
};
