import type { Clock } from '../../src/ops/clock';

/** A clock that stands still until a test moves it. */
export interface TestClock extends Clock {
  set(at: Date | string): void;
  advance(milliseconds: number): void;
}

export function testClock(start: Date | string = '2026-11-29T12:00:00.000Z'): TestClock {
  let now = new Date(start).getTime();
  const clock = (() => new Date(now)) as TestClock;
  clock.set = at => {
    now = new Date(at).getTime();
  };
  clock.advance = milliseconds => {
    now += milliseconds;
  };
  return clock;
}
