import { BadUserInputError } from '../errors/BadUserInputError';

/** The largest page any list serves (first defaults to 20, at most 100). */
export const maxPageSize = 100;

/** Checks a `first` argument: a whole number from 1 to `max`, else BAD_USER_INPUT naming the limit. */
export function checkPageSize(
  first: number | null | undefined,
  max = maxPageSize,
  name = 'first',
): number {
  if (first == null || !Number.isInteger(first) || first < 1 || first > max) {
    throw new BadUserInputError(`${name} must be between 1 and ${max}, got ${first}.`);
  }
  return first;
}
