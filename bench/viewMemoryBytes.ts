import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import net from 'node:net';
import Redis from 'ioredis';
import pino from 'pino';
import { RedisViewMemory } from '../src/views/redisViewMemory';
import type { ViewQuestion } from '../src/views/viewMemory';

/**
 * What the shared view memory costs Redis: writes PAIRS visitor-article pairs (default a million:
 * 100,000 visitors reading 10 articles each) through RedisViewMemory, as the gateway does, into a
 * redis-server of its own (a free port, no persistence), and reads INFO memory before, after, and
 * after the per-minute rate counters are gone (they expire within two minutes; the pairs stay until
 * the end of their day). Prints bytes per pair, the views a second one process decided, and the
 * time one view waits when views come one at a time.
 * Usage: npm run bench -- --quick (builds it), then node dist/bench/bench/viewMemoryBytes.js [PAIRS]
 */
async function main(): Promise<void> {
  const pairs = Number(process.argv[2] ?? 1_000_000);
  const articlesPerVisitor = 10;
  const port = await freePort();
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  try {
    const redis = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    // Refused connections until the server listens; waitForPing retries.
    redis.on('error', () => undefined);
    await waitForPing(redis);
    const memory = new RedisViewMemory(
      redis,
      'content-gateway:',
      { dedupeMinutes: 30, ratePerMinute: 1_000_000, memoryMaxEntries: 1_000_000 },
      pino({ level: 'warn' }),
    );
    const before = await usedMemory(redis);
    const at = Date.now();
    const started = process.hrtime.bigint();
    let counted = 0;
    // 1,000 views at a time, as 1,000 concurrent requests would come: one pipeline each.
    for (let first = 0; first < pairs; first += 1000) {
      const views: ViewQuestion[] = [];
      for (let i = first; i < Math.min(pairs, first + 1000); i += 1) {
        const digest = createHash('sha256')
          .update(`v\0visitor-${Math.floor(i / articlesPerVisitor)}`)
          .digest();
        views.push({
          articleId: 1 + (i % articlesPerVisitor) * 997,
          visitor: { hi: digest.readUInt32LE(0), lo: digest.readUInt32LE(4) },
          at,
        });
      }
      const decisions = await Promise.all(views.map(view => memory.decide([view])));
      counted += decisions.filter(([decision]) => decision.counted).length;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const after = await usedMemory(redis);
    let rateKeys = 0;
    for (let cursor = '0'; ; ) {
      const [next, keys] = await redis.scanBuffer(
        cursor,
        'MATCH',
        'content-gateway:r:*',
        'COUNT',
        1000,
      );
      if (keys.length) await redis.unlink(...keys);
      rateKeys += keys.length;
      cursor = String(next);
      if (cursor === '0') break;
    }
    const pairsOnly = await usedMemory(redis);
    const keys = await redis.dbsize();
    // One view at a time, each awaited: the round trip a lone reader's view waits for.
    const lone = 5000;
    const loneStarted = process.hrtime.bigint();
    for (let i = 0; i < lone; i += 1) {
      await memory.decide([{ articleId: 7, visitor: { hi: i, lo: 0x9e3779b9 ^ i }, at }]);
    }
    const loneUs = Number(process.hrtime.bigint() - loneStarted) / 1e3 / lone;
    const say = (line: string) => process.stdout.write(`${line}\n`);
    say(
      `${pairs.toLocaleString('en')} pairs written (${counted.toLocaleString('en')} counted) in ${seconds.toFixed(1)} s: ${Math.round(pairs / seconds).toLocaleString('en')} views/s from one process`,
    );
    say(
      `used_memory: ${mb(before)} before, ${mb(after)} after (${Math.round((after - before) / pairs)} bytes a pair with ${rateKeys.toLocaleString('en')} rate counters), ${mb(pairsOnly)} without the rate counters`,
    );
    say(
      `bytes per visitor-article pair: ${Math.round((pairsOnly - before) / pairs)} (${keys.toLocaleString('en')} keys left; key prefix "content-gateway:")`,
    );
    say(`one view at a time: ${loneUs.toFixed(0)} µs a view (${lone} views, each awaited)`);
    redis.disconnect();
  } finally {
    server.kill('SIGKILL');
  }
}

const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1]);
}

async function waitForPing(redis: Redis): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      await redis.ping();
      return;
    } catch {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }
  throw new Error('redis-server did not start');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

main().catch(error => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
