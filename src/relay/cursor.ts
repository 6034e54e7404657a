import { isInternalId } from './globalId';
import { BadUserInputError } from '../errors/BadUserInputError';

/**
 * What a cursor value is, so that a decoded cursor only holds values its SQL columns can take on
 * both databases (PostgreSQL fails a statement whose parameter does not fit its column's type):
 * - `text`: a string without U+0000 (PostgreSQL text cannot hold it), e.g. a folded name;
 * - `id`: an internal id, 1 to 2^31 - 1 (an int4 column; see globalId's maxInternalId);
 * - `epochMs`: a whole number of milliseconds within a Date's range (a bigint column);
 * - `safeInteger`: a whole number within Number.MAX_SAFE_INTEGER (compared in memory only);
 * - `double`: any finite number (a float8 expression, e.g. a search's relevance).
 */
export type CursorField = 'text' | 'id' | 'epochMs' | 'safeInteger' | 'double';
export type CursorShape = readonly CursorField[];
export type CursorValue = string | number;

/** The decoded values of a shape: strings for text, numbers for the rest. */
export type CursorValues<S extends CursorShape> = {
  -readonly [K in keyof S]: S[K] extends 'text' ? string : number;
};

// ECMA-262 "Time Values and Time Range": a Date is at most 8.64e15 ms from the epoch either way.
const maxEpochMs = 8.64e15;

const fits: Record<CursorField, (value: unknown) => boolean> = {
  text: value => typeof value === 'string' && !value.includes('\u0000'),
  id: isInternalId,
  epochMs: value => Number.isSafeInteger(value) && Math.abs(value as number) <= maxEpochMs,
  safeInteger: value => Number.isSafeInteger(value),
  double: value => typeof value === 'number' && Number.isFinite(value),
};

/**
 * Keyset cursors: the sort key values of the last row seen and its id, tied to the ordering they
 * came from, as opaque base64url. A cursor stays valid when rows are inserted before or after it.
 */
export function encodeCursor(kind: string, values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify([kind, ...values])).toString('base64url');
}

/**
 * Reads a cursor made by encodeCursor for the same kind and shape, every value checked against
 * its field's type; anything else is BAD_USER_INPUT (HTTP 400), thrown before any SQL runs and
 * never an internal error, whatever the client sends.
 */
export function decodeCursor<S extends CursorShape>(
  cursor: string,
  kind: string,
  shape: S,
): CursorValues<S> {
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
  if (!values.every((value, index) => fits[shape[index]](value))) throw invalid();
  return values as CursorValues<S>;
}
