import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads process.env. Every setting is validated here, has a safe default for
 * the embedded setup (SQLite file, demo content, Sandbox), and is listed in README.md and .env.example.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    errorMap: () => ({ message: 'expected true or false' }),
  })
  .transform(value => value === 'true' || value === '1' || value === 'yes');

const int = (min: number, max: number) =>
  z.coerce
    .number({ invalid_type_error: `expected a whole number between ${min} and ${max}` })
    .int(`expected a whole number between ${min} and ${max}`)
    .min(min, `expected a whole number between ${min} and ${max}`)
    .max(max, `expected a whole number between ${min} and ${max}`);

const positive = z.coerce
  .number({ invalid_type_error: 'expected a positive number' })
  .positive('expected a positive number');

/** "de:179,en:228" -> { de: 179, en: 228 } */
const wordsPerMinute = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)?:\d+(,[a-z]{2,3}(-[A-Za-z0-9]+)?:\d+)*$/, {
    message: 'expected language:words pairs such as de:179,en:228',
  })
  .transform(value =>
    Object.fromEntries(
      value.split(',').map(pair => {
        const [language, rate] = pair.split(':');
        return [language, Number(rate)];
      }),
    ),
  );

const databaseUrl = z
  .string()
  .min(1)
  .refine(value => /^(sqlite:|postgres(ql)?:\/\/)/.test(value), {
    message: 'expected sqlite:<file>, sqlite::memory: or postgres://user@host:port/database',
  });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(0, 65535).default(4000),
  PUBLIC_URL: z.string().url('expected an absolute URL such as https://api.example.com').optional(),
  DATABASE_URL: databaseUrl.default('sqlite:./data/content-gateway.sqlite'),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a lower-case PostgreSQL schema name')
    .default('public'),
  MIGRATIONS_RUN: bool.default('true'),
  DEMO_CONTENT: bool.default('true'),
  CONTENT_DIR: z.string().min(1).default('content/demo'),
  MEDIA_DIR: z.string().min(1).default('content/demo/media'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  INTROSPECTION: bool.optional(),
  SANDBOX: bool.optional(),
  READING_WORDS_PER_MINUTE: wordsPerMinute.default('de:179,en:228'),
  READING_SECONDS_PER_IMAGE: int(0, 600).default(12),
  CACHE_MAX_AGE_SECONDS: int(0, 86_400).default(300),
  TRENDING_HALF_LIFE_HOURS: positive.default(12),
});

export type DatabaseSettings =
  | { type: 'sqlite'; database: string; url: string }
  | { type: 'postgres'; url: string; poolSize: number; schema: string };

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly production: boolean;
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string | null;
  readonly database: Readonly<DatabaseSettings>;
  readonly migrationsRun: boolean;
  readonly demoContent: boolean;
  readonly contentDir: string;
  readonly mediaDir: string;
  readonly logLevel: string;
  readonly introspection: boolean;
  readonly sandbox: boolean;
  readonly readingWordsPerMinute: Readonly<Record<string, number>>;
  readonly readingSecondsPerImage: number;
  readonly cacheMaxAgeSeconds: number;
  readonly trendingHalfLifeHours: number;
}

/** Thrown for a setting that does not validate; its message is the one line the operator sees. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function parseDatabase(url: string, poolSize: number, schema: string): DatabaseSettings {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    return { type: 'sqlite', database: file === ':memory:' ? ':memory:' : path.resolve(file), url };
  }
  return { type: 'postgres', url, poolSize, schema };
}

/**
 * Reads and validates the settings from an environment (process.env by default).
 * Throws a ConfigError naming the first bad setting, what it expected and what arrived.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(
    Object.keys(schema.shape).map(key => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue.path[0]);
    throw new ConfigError(
      `Invalid setting ${key}: ${issue.message}, got ${JSON.stringify(env[key])}.`,
    );
  }
  const s = parsed.data;
  const production = s.NODE_ENV === 'production';
  return Object.freeze({
    env: s.NODE_ENV,
    production,
    host: s.HOST,
    port: s.PORT,
    publicUrl: s.PUBLIC_URL ?? null,
    database: Object.freeze(parseDatabase(s.DATABASE_URL, s.DATABASE_POOL_SIZE, s.DATABASE_SCHEMA)),
    migrationsRun: s.MIGRATIONS_RUN,
    demoContent: s.DEMO_CONTENT,
    contentDir: path.resolve(s.CONTENT_DIR),
    mediaDir: path.resolve(s.MEDIA_DIR),
    logLevel: s.LOG_LEVEL,
    introspection: s.INTROSPECTION ?? !production,
    sandbox: s.SANDBOX ?? !production,
    readingWordsPerMinute: Object.freeze(s.READING_WORDS_PER_MINUTE),
    readingSecondsPerImage: s.READING_SECONDS_PER_IMAGE,
    cacheMaxAgeSeconds: s.CACHE_MAX_AGE_SECONDS,
    trendingHalfLifeHours: s.TRENDING_HALF_LIFE_HOURS,
  });
}
