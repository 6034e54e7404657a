import { BadUserInputError } from '../errors/BadUserInputError';

/** A BCP 47 tag as the import and the API accept it: 'de', 'en-GB', 'de-AT-1996'. */
export const localePattern = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** Checks a locale argument: a BCP 47 tag, else BAD_USER_INPUT naming the argument. */
export function checkLocale(value: string, name = 'locale'): string {
  if (!localePattern.test(value)) {
    throw new BadUserInputError(
      `${name} must be a BCP 47 tag such as de or en-GB, got ${JSON.stringify(value.slice(0, 50))}.`,
    );
  }
  return value;
}

/** The most locales one request may list as fallbacks. */
export const maxFallbackLocales = 10;

/**
 * How well a version in `locale` serves a reader who wants `wanted`, case-insensitively: 0 the
 * same tag, 1 a shorter tag of the same language (wanted de-AT, have de: RFC 4647 lookup's
 * truncation), 2 a regional variant of it (wanted de, have de-AT: the articles filter's rule);
 * null where it does not (wanted de-AT, have de-CH or en).
 */
export function localeMatchRank(locale: string, wanted: string): number | null {
  const have = locale.toLowerCase();
  const want = wanted.toLowerCase();
  if (have === want) return 0;
  if (want.startsWith(`${have}-`)) return 1;
  if (have.startsWith(`${want}-`)) return 2;
  return null;
}

/**
 * The best of `items` for the locales in `wanted`, tried in order: the first wanted locale any
 * item matches decides, and among its matches the closest (see localeMatchRank), the earlier item
 * on a tie. Null when no item is in any wanted locale.
 */
export function bestLocaleMatch<T>(
  items: readonly T[],
  localeOf: (item: T) => string,
  wanted: readonly string[],
): T | null {
  for (const want of wanted) {
    let best: T | null = null;
    let bestRank = Infinity;
    for (const item of items) {
      const rank = localeMatchRank(localeOf(item), want);
      if (rank !== null && rank < bestRank) {
        best = item;
        bestRank = rank;
      }
    }
    if (best !== null) return best;
  }
  return null;
}

/**
 * A tag's or author's name in `locale`, from its names per language (a JSON object such as
 * {"en":"Career"}); the default name where there is no locale, no name for it, or the JSON is
 * not an object of strings.
 */
export function localizedName(
  defaultName: string,
  namesJson: string | null,
  locale: string | null | undefined,
): string {
  if (locale == null || namesJson == null) return defaultName;
  let names: unknown;
  try {
    names = JSON.parse(namesJson);
  } catch {
    return defaultName;
  }
  if (typeof names !== 'object' || names === null || Array.isArray(names)) return defaultName;
  const entries = Object.entries(names as Record<string, unknown>).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return bestLocaleMatch(entries, ([key]) => key, [locale])?.[1] ?? defaultName;
}
