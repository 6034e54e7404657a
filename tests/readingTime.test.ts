import { readingTime } from '../src/content/readingTime';

const settings = { wordsPerMinute: { de: 179, en: 228 }, secondsPerImage: 12 };

describe('readingTime', () => {
  it('gives the reference page its "3 Minuten Lesezeit" for 375 German words', () => {
    expect(readingTime(375, 0, 'de', settings)).toEqual({
      minutes: 3,
      words: 375,
      label: '3 Minuten Lesezeit',
    });
  });

  it('reads English faster and labels it in English', () => {
    expect(readingTime(375, 0, 'en', settings)).toEqual({
      minutes: 2,
      words: 375,
      label: '2 min read',
    });
    expect(readingTime(456, 0, 'en-GB', settings).minutes).toBe(2);
    expect(readingTime(457, 0, 'en-GB', settings).minutes).toBe(3);
  });

  it('rounds up, adds time for images and never says less than one minute', () => {
    expect(readingTime(179, 0, 'de', settings).minutes).toBe(1);
    expect(readingTime(180, 0, 'de', settings).minutes).toBe(2);
    expect(readingTime(179, 1, 'de', settings).minutes).toBe(2);
    expect(readingTime(0, 0, 'de', settings)).toEqual({
      minutes: 1,
      words: 0,
      label: '1 Minute Lesezeit',
    });
  });

  it('falls back to the English rate and label for a language without its own', () => {
    expect(readingTime(456, 0, 'fr', settings)).toEqual({
      minutes: 2,
      words: 456,
      label: '2 min read',
    });
  });
});
