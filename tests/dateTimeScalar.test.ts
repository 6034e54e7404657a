import { DateTimeScalar } from '../src/schema/DateTimeScalar';

describe('DateTime scalar', () => {
  it('serializes instants as ISO 8601 strings in UTC with milliseconds', () => {
    expect(DateTimeScalar.serialize(new Date(Date.UTC(2026, 10, 29, 8, 5, 3, 7)))).toBe(
      '2026-11-29T08:05:03.007Z',
    );
    expect(DateTimeScalar.serialize('2026-01-01T00:00:00+01:00')).toBe('2025-12-31T23:00:00.000Z');
  });

  it('gives every instant its own string, also past the strings it keeps', () => {
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 10_000; i += 1) {
      const at = new Date(start + i * 3_600_000 + (i % 1000));
      expect(DateTimeScalar.serialize(at)).toBe(at.toISOString());
    }
  });

  it('parses and validates as graphql-scalars DateTime does', () => {
    expect(DateTimeScalar.parseValue('2026-11-29T08:00:00Z')).toEqual(
      new Date('2026-11-29T08:00:00Z'),
    );
    expect(() => DateTimeScalar.parseValue('29.11.2026')).toThrow(/DateTime/);
    expect(DateTimeScalar.name).toBe('DateTime');
  });
});
