export interface ReadingTimeSettings {
  /** Words a minute by primary language subtag; see config READING_WORDS_PER_MINUTE. */
  wordsPerMinute: Readonly<Record<string, number>>;
  secondsPerImage: number;
}

export interface ReadingTimeValue {
  minutes: number;
  words: number;
  label: string;
}

// Used where a language has no rate of its own: the English rate if set, else this one.
// 228 words a minute for English: IReST reading-speed study (Trauzettel-Klosinski and Dietz, 2012).
const fallbackWordsPerMinute = 228;

/** The primary language subtag of a BCP 47 tag: "de-AT" -> "de". */
export function primaryLanguage(locale: string): string {
  return locale.split('-')[0].toLowerCase();
}

/**
 * Minutes to read `words` words and look at `images` images in `locale`: words divided by the
 * language's rate, plus a fixed time a picture, rounded up, at least 1. The label is in the
 * article's language: "3 Minuten Lesezeit", "1 Minute Lesezeit", "3 min read".
 */
export function readingTime(
  words: number,
  images: number,
  locale: string,
  settings: ReadingTimeSettings,
): ReadingTimeValue {
  const language = primaryLanguage(locale);
  const rate =
    settings.wordsPerMinute[language] ?? settings.wordsPerMinute.en ?? fallbackWordsPerMinute;
  const exact = words / rate + (images * settings.secondsPerImage) / 60;
  const minutes = Math.max(1, Math.ceil(exact - 1e-9));
  return { minutes, words, label: readingTimeLabel(minutes, language) };
}

function readingTimeLabel(minutes: number, language: string): string {
  if (language === 'de') return `${minutes} ${minutes === 1 ? 'Minute' : 'Minuten'} Lesezeit`;
  return `${minutes} min read`;
}
