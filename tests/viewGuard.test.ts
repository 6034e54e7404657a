import { ViewGuard } from '../src/views/viewGuard';

const noon = Date.UTC(2026, 10, 29, 12);
const minute = 60_000;
const request = { ip: '192.0.2.1', userAgent: 'Mozilla/5.0', purpose: null };

function guardOf(settings: Partial<ConstructorParameters<typeof ViewGuard>[0]> = {}) {
  return new ViewGuard({
    dedupeMinutes: 30,
    ratePerMinute: 120,
    memoryMaxEntries: 1000,
    ...settings,
  });
}

describe('ViewGuard', () => {
  it('counts a visitor once per dedupe period and once a day as unique', async () => {
    const guard = guardOf();
    const reader = await guard.visitorKey('leser-1', request, noon);
    expect(await guard.admit(7, reader, noon)).toEqual({ counted: true, unique: true });
    expect(await guard.admit(7, reader, noon + 29 * minute)).toEqual({
      counted: false,
      reason: 'repeat',
    });
    expect(await guard.admit(8, reader, noon + 29 * minute)).toEqual({
      counted: true,
      unique: true,
    });
    expect(await guard.admit(7, reader, noon + 30 * minute)).toEqual({
      counted: true,
      unique: false,
    });
    expect(await guard.admit(7, reader, noon + 12 * 60 * minute)).toEqual({
      counted: true,
      unique: true,
    });
  });

  it('keys visitors by id, else by address and user agent with a salt that changes at midnight', async () => {
    const guard = guardOf();
    expect(await guard.visitorKey('a', request, noon)).toEqual(
      await guard.visitorKey('a', request, noon + 86_400_000),
    );
    expect(await guard.visitorKey('a', request, noon)).not.toEqual(
      await guard.visitorKey('b', request, noon),
    );
    const anonymous = await guard.visitorKey(null, request, noon);
    expect(await guard.visitorKey('', request, noon + minute)).toEqual(anonymous);
    expect(await guard.visitorKey(null, { ...request, ip: '192.0.2.2' }, noon)).not.toEqual(
      anonymous,
    );
    expect(await guard.visitorKey(null, request, noon + 86_400_000)).not.toEqual(anonymous);
  });

  it('screens out crawlers, scripts and prefetches, not apps or the apps READER_APP_AGENTS names', () => {
    const guard = guardOf({ readerAppAgents: ['mynewsapp-widget/'] });
    const as = (userAgent: string | null, purpose: string | null = null) =>
      guard.screen({ ip: '192.0.2.1', userAgent, purpose });
    expect(as('okhttp/4.12.0')).toBeNull();
    expect(as('MyNewsApp/5.1 CFNetwork/1494.0.7 Darwin/23.4.0')).toBeNull();
    expect(as(null)).toBeNull();
    expect(as('curl/8.11.0')).toEqual({ counted: false, reason: 'bot' });
    expect(
      as('Mozilla/5.0 (compatible; MyNewsApp-Widget/5.1; +https://news.example/app)'),
    ).toBeNull();
    expect(
      guardOf().screen({
        ip: null,
        userAgent: 'Mozilla/5.0 (compatible; MyNewsApp-Widget/5.1; +https://news.example/app)',
        purpose: null,
      }),
    ).toEqual({ counted: false, reason: 'bot' });
    expect(as('okhttp/4.12.0', 'prefetch')).toEqual({ counted: false, reason: 'prefetch' });
  });

  it('stops counting a visitor over the rate until the next minute', async () => {
    const guard = guardOf({ ratePerMinute: 3 });
    const reader = await guard.visitorKey('eilig', request, noon);
    const start = noon - (noon % minute);
    for (let article = 1; article <= 3; article += 1) {
      expect((await guard.admit(article, reader, start + article)).counted).toBe(true);
    }
    expect(await guard.admit(4, reader, start + 10)).toEqual({ counted: false, reason: 'rate' });
    expect((await guard.admit(4, reader, start + minute)).counted).toBe(true);
  });

  it('at VIEW_MEMORY_MAX_ENTRIES forgets the oldest tenth, not the newest', async () => {
    const guard = guardOf({ memoryMaxEntries: 1000, ratePerMinute: 1_000_000 });
    const visitors = await Promise.all(
      Array.from({ length: 1001 }, (_, i) => guard.visitorKey(`v-${i}`, request, noon)),
    );
    for (const [i, visitor] of visitors.entries()) {
      expect((await guard.admit(1, visitor, noon + i)).counted).toBe(true);
    }
    expect(guard.size).toBeLessThanOrEqual(1000);
    expect(guard.size).toBeGreaterThanOrEqual(900);
    const later = noon + 2000;
    // Exactly the 101 oldest went (one over the cap, and a tenth of it): the rest are repeats...
    for (let i = 101; i <= 1000; i += 1) {
      expect((await guard.admit(1, visitors[i], later)).counted).toBe(false);
    }
    // ...and the forgotten count again, as unique.
    for (let i = 0; i <= 100; i += 1) {
      expect(await guard.admit(1, visitors[i], later)).toEqual({ counted: true, unique: true });
    }
  });

  it('forgets entries no longer needed when pruned, at most once a minute', async () => {
    const guard = guardOf();
    const evening = Date.UTC(2026, 10, 29, 23, 50);
    await guard.admit(1, await guard.visitorKey('a', request, evening), evening);
    await guard.admit(1, await guard.visitorKey('b', request, evening), evening + 5 * minute);
    expect(guard.size).toBe(2);
    // After midnight, each entry lives out its dedupe period: a's ended at 00:20, b's ends at 00:25.
    const first = Date.UTC(2026, 10, 30, 0, 24, 30);
    guard.prune(first);
    expect(guard.size).toBe(1);
    guard.prune(first + 40_000);
    expect(guard.size).toBe(1); // b is due, but the last prune was 40 s ago
    guard.prune(first + minute);
    expect(guard.size).toBe(0);
  });
});
