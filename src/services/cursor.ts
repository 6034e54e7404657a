import { BadUserInputError } from '../errors/BadUserInputError';

export type CursorValue = string | number;
export type CursorShape = ReadonlyArray<'string' | 'number'>;

/**
 * Keyset cursors: the sort key values of the last row seen and its id, tied to the ordering they
 * came from, as opaque base64url. A cursor stays valid when rows are inserted before or after it.
 */
export function encodeCursor(kind: string, values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify([kind, ...values])).toString('base64url');
}

/**
 * Reads a cursor made by encodeCursor for the same kind and shape; anything else is
 * BAD_USER_INPUT (never an internal error, whatever the client sends).
 */
export function decodeCursor(cursor: string, kind: string, shape: CursorShape): CursorValue[] {
  const invalid = () =>
    new BadUserInputError(
      `after must be a cursor returned by this field for the same ordering, got ${JSON.stringify(cursor.slice(0, 60))}.`,
    );
  if (cursor.length > 1000 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed[0] !== kind || parsed.length !== shape.length + 1) {
    throw invalid();
  }
  const values = parsed.slice(1) as unknown[];
  values.forEach((value, index) => {
    const expected = shape[index];
    if (typeof value !== expected || (expected === 'number' && !Number.isFinite(value))) {
      throw invalid();
    }
  });
  return values as CursorValue[];
}
