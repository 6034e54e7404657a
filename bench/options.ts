import type { DatasetSpec } from './dataset/ensureDataset';

export type GatewayDriver = 'sqlite3' | 'better-sqlite3' | 'postgres';

export interface BenchOptions {
  quick: boolean;
  duration: number;
  warmup: number;
  connections: number;
  drivers: GatewayDriver[];
  replicas: number;
  postgresUrl: string;
  /**
   * --redis: the view scenarios run a second time on replicas sharing this Redis (the view memory,
   * REDIS_URL), with exact counts checked afterwards; null without it.
   */
  redisUrl: string | null;
  scenarios: string[] | null;
  spec: DatasetSpec;
  cpuProf: boolean;
  maxAgeHours: number;
  out: string;
  /** The project whose dist/index.js is benchmarked (default: this one). */
  gatewayDir: string | null;
  /**
   * V8's old-space limit for the gateway processes in MB (--max-old-space-size): null for the one
   * npm start uses (HEAP_MAX_MB's default in the gateway's config), 'v8' for V8's own.
   */
  heapMb: number | 'v8' | null;
  /** A peer GraphQL server measured beside the gateway (PostgreSQL only): PostGraphile 4. */
  peer: 'postgraphile' | null;
  /** Rounds a scenario is measured in, the servers' order rotating from round to round. */
  rounds: number;
}

const usage = `npm run bench -- [options]
  --quick                 small dataset (500 articles, 100k views), 2 s a scenario: a smoke run for CI
  --duration <s>          seconds a scenario is measured (default 10, quick 2)
  --warmup <s>            seconds of unmeasured load before each (default 3, quick 1)
  --connections <n>       concurrent connections (default 10)
  --driver <list>         gateway driver(s), comma-separated: sqlite3, better-sqlite3, postgres (default sqlite3)
  --replicas <n>          gateway processes (PostgreSQL only; load split across them; default 1)
  --postgres-url <url>    PostgreSQL database for --driver postgres (default BENCH_DATABASE_URL or
                          postgres://postgres@127.0.0.1:5432/content_gateway_bench)
  --redis                 run recordView and viewBeacon again on replicas sharing Redis (REDIS_URL: the
                          shared view memory) and check the counts exactly afterwards
  --redis-url <url>       the Redis for --redis (default BENCH_REDIS_URL or redis://127.0.0.1:6379)
  --scenario <list>       only these scenarios (article,listing,tag,mostRead,recordView,viewBeacon,
                          apolloFloor,viewStats, and through the response cache articleCached,
                          listingCached,tagCached)
  --articles <n> --views <n>   dataset size (default 20000 and 10000000)
  --cpu-prof              write a V8 CPU profile of the gateway per scenario to bench/results/
  --max-age-hours <h>     regenerate a dataset older than this (its views end when it was made; default 24)
  --out <dir>             where results go (default bench/results)
  --gateway-dir <dir>     benchmark the built gateway of another checkout (default: this one)
  --heap-mb <n|v8>        run the gateway with node --max-old-space-size=<n>; v8: without it (default: as
                          npm start does, with HEAP_MAX_MB's default; README "Memory")
  --peer postgraphile     also measure PostGraphile 4 (bench/peer/; --driver postgres) on the pages it can
                          answer (articleBare, listing, tag), answers compared field by field
  --rounds <n>            interleaved rounds per scenario, the order of gateway, baseline (and peer)
                          rotating (default 1; 3 with --peer)`;

function value(args: string[], i: number, name: string): string {
  const next = args[i + 1];
  if (next === undefined || next.startsWith('--'))
    throw new Error(`${name} needs a value\n${usage}`);
  return next;
}

function positiveInt(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name} expects a positive whole number, got ${text}`);
  return n;
}

/** Parses the command line; an unknown option stops with the usage. */
export function parseOptions(args: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const quick = args.includes('--quick');
  const options: BenchOptions = {
    quick,
    duration: quick ? 2 : 10,
    warmup: quick ? 1 : 3,
    connections: 10,
    drivers: ['sqlite3'],
    replicas: 1,
    postgresUrl:
      env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/content_gateway_bench',
    redisUrl: null,
    scenarios: null,
    spec: quick
      ? {
          articles: 500,
          authors: 40,
          tags: 30,
          views: 100_000,
          days: 400,
          hourlyRetentionDays: 90,
          seed: 5,
        }
      : {
          articles: 20_000,
          authors: 400,
          tags: 200,
          views: 10_000_000,
          days: 400,
          hourlyRetentionDays: 90,
          seed: 5,
        },
    cpuProf: false,
    maxAgeHours: 24,
    out: 'bench/results',
    gatewayDir: null,
    heapMb: null,
    peer: null,
    rounds: 0,
  };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    switch (arg) {
      case '--quick':
        break;
      case '--duration':
        options.duration = positiveInt(value(args, i++, arg), arg);
        break;
      case '--warmup':
        options.warmup = Number(value(args, i++, arg));
        break;
      case '--connections':
        options.connections = positiveInt(value(args, i++, arg), arg);
        break;
      case '--driver': {
        const drivers = value(args, i++, arg).split(',');
        for (const driver of drivers) {
          if (!['sqlite3', 'better-sqlite3', 'postgres'].includes(driver)) {
            throw new Error(`--driver expects sqlite3, better-sqlite3 or postgres, got ${driver}`);
          }
        }
        options.drivers = drivers as GatewayDriver[];
        break;
      }
      case '--replicas':
        options.replicas = positiveInt(value(args, i++, arg), arg);
        break;
      case '--postgres-url':
        options.postgresUrl = value(args, i++, arg);
        break;
      case '--redis':
        options.redisUrl ??= env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
        break;
      case '--redis-url':
        options.redisUrl = value(args, i++, arg);
        break;
      case '--scenario':
        options.scenarios = value(args, i++, arg).split(',');
        break;
      case '--articles':
        options.spec = { ...options.spec, articles: positiveInt(value(args, i++, arg), arg) };
        break;
      case '--views':
        options.spec = { ...options.spec, views: positiveInt(value(args, i++, arg), arg) };
        break;
      case '--cpu-prof':
        options.cpuProf = true;
        break;
      case '--max-age-hours':
        options.maxAgeHours = Number(value(args, i++, arg));
        break;
      case '--out':
        options.out = value(args, i++, arg);
        break;
      case '--gateway-dir':
        options.gatewayDir = value(args, i++, arg);
        break;
      case '--heap-mb': {
        const text = value(args, i++, arg);
        options.heapMb = text === 'v8' ? 'v8' : positiveInt(text, arg);
        break;
      }
      case '--peer': {
        const peer = value(args, i++, arg);
        if (peer !== 'postgraphile') throw new Error(`--peer expects postgraphile, got ${peer}`);
        options.peer = peer;
        break;
      }
      case '--rounds':
        options.rounds = positiveInt(value(args, i++, arg), arg);
        break;
      case '--help':
        throw new Error(usage);
      default:
        throw new Error(`unknown option ${arg}\n${usage}`);
    }
  }
  if (options.replicas > 1 && options.drivers.some(driver => driver !== 'postgres')) {
    throw new Error('--replicas above 1 needs --driver postgres: SQLite has one writer per file');
  }
  if (options.peer && options.drivers.some(driver => driver !== 'postgres')) {
    throw new Error('--peer postgraphile needs --driver postgres: PostGraphile serves PostgreSQL');
  }
  if (options.rounds === 0) options.rounds = options.peer ? 3 : 1;
  return options;
}
