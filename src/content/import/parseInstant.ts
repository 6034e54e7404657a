/** A front-matter date read strictly: the instant, or why the text is no date at all. */
export type ParsedInstant = { ok: true; value: Date } | { ok: false; reason: string };

// YAML 1.1's timestamp forms (what js-yaml reads unquoted): a date, or a date and a time with "T",
// "t" or spaces between, optional seconds and fraction, and an optional offset (Z, +02:00, +0200,
// -5). Minutes without seconds are allowed too. Without an offset, the time is UTC, as YAML says.
const INSTANT =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:[ \t]*(Z|z|[+-]\d{1,2}(?::?\d{2})?))?)?$/;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses a date as an editor writes it in front matter, without the roll-over of `Date.UTC` and
 * js-yaml (which turn 2026-13-45 into 2027-02-14): every part must exist on the calendar and the
 * clock, and an offset must be a real one, from -12:00 to +14:00 (the zones in use, per the IANA
 * time zone database).
 */
export function parseInstant(text: string): ParsedInstant {
  const match = INSTANT.exec(text.trim());
  if (!match) {
    return {
      ok: false,
      reason: `expected a date such as 2026-09-14 or 2026-09-14T07:30:00Z, got ${JSON.stringify(text)}`,
    };
  }
  const [, y, mo, d, h, mi, s, fraction, offset] = match;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  const [hour, minute, second] = [Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)];
  const refuse = (why: string): ParsedInstant => ({ ok: false, reason: `${text.trim()}: ${why}` });
  if (month < 1 || month > 12) return refuse(`there is no month ${month} (expected 1 to 12)`);
  const days = daysIn(year, month);
  if (day < 1 || day > days) {
    return refuse(`${MONTHS[month - 1]} ${year} has no day ${day} (it has ${days} days)`);
  }
  if (hour > 23) return refuse(`there is no hour ${hour} (expected 0 to 23)`);
  if (minute > 59) return refuse(`there is no minute ${minute} (expected 0 to 59)`);
  if (second > 59) return refuse(`there is no second ${second} (expected 0 to 59)`);
  let offsetMinutes = 0;
  if (offset && offset.toUpperCase() !== 'Z') {
    const [, sign, oh, om] = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(offset) as RegExpExecArray;
    if (Number(om ?? 0) > 59) return refuse(`the offset ${offset} has no minute ${Number(om)}`);
    offsetMinutes = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om ?? 0));
    if (offsetMinutes < -12 * 60 || offsetMinutes > 14 * 60) {
      return refuse(`the offset ${offset} is no time zone's (expected -12:00 to +14:00)`);
    }
  }
  // The first three digits are the milliseconds; a Date holds no finer ones.
  const milliseconds = fraction ? Number(fraction.padEnd(3, '0').slice(0, 3)) : 0;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds);
  return { ok: true, value: new Date(utc - offsetMinutes * 60_000) };
}
