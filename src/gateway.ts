import 'reflect-metadata';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { TokenVerifier } from './access/apiTokens';
import { memoryRateLimiter, redisRateLimiter } from './access/rateLimiter';
import { seedDemoContent } from './cli/seed/seedDemoContent';
import { seedDemoViews } from './cli/seed/seedDemoViews';
import type { Config } from './config';
import { announcePublications } from './content/changes/announcePublications';
import { cacheKeys } from './content/changes/cacheKeys';
import { cacheKeysOfChanges } from './content/changes/cacheKeysOfChanges';
import { ChangeFeed } from './content/changes/changeFeed';
import { readChangesAfter } from './content/changes/readChanges';
import { WebhookWorker } from './content/changes/webhooks/webhookWorker';
import type { EditorialServices } from './content/editorial/editorialServices';
import { ensurePreviewSecret } from './content/preview/previewSecret';
import { PublicationSchedule } from './content/schedule/publicationSchedule';
import { createDataSource, openDataSource } from './db/createDataSource';
import { createReadReplicas } from './db/readReplicas';
import { SqlReader } from './db/SqlReader';
import { createServer, type GatewayServer } from './http/createServer';
import { ResponseCache } from './http/responseCache';
import { type CdnPurger } from './ops/cdnPurge/cdnPurger';
import { createCdnPurger } from './ops/cdnPurge/createCdnPurger';
import { claimPurges } from './ops/cdnPurge/purgeClaims';
import { type Clock, systemClock } from './ops/clock';
import { registerDbPoolMetrics } from './ops/dbPoolMetrics';
import { createLogger } from './ops/logger';
import { MemoryResponseStore } from './ops/memoryResponseStore';
import { createMetrics, type Metrics } from './ops/metrics';
import { createRedis } from './ops/redisClient';
import { RedisKeyValueCache } from './ops/redisKeyValueCache';
import { RedisResponseStore } from './ops/redisResponseStore';
import { buildGatewaySchema } from './schema/buildGatewaySchema';
import { RankingSnapshots } from './views/rankings';
import { RedisEngagementLedger } from './views/redisEngagementLedger';
import { RedisLiveReaders } from './views/redisLiveReaders';
import { RedisViewMemory } from './views/redisViewMemory';
import { ViewCounter } from './views/viewCounter';
import type { ViewServices } from './views/viewServices';

/** Everything one gateway process runs, wired together; index.ts and the tests both use it. */
export interface Gateway {
  config: Config;
  log: Logger;
  metrics: Metrics;
  db: DataSource;
  server: GatewayServer;
  /** The view buffer and flusher, and the ranking snapshots. */
  views: ViewServices;
  /** The shared Redis connection (rate limits, persisted queries, view memory) when REDIS_URL is set. */
  redis: Redis | null;
  /** Scheduled publications: call `changed()` after a write that may schedule an article. */
  publications: PublicationSchedule;
  /** The response cache and the CDN purger (README "Caching"), each null where off. */
  caching: GatewayCaching;
  /** Change events: register listeners with `changes.onChange` (caches first, webhooks last). */
  changes: ChangeFeed;
  /** Signed webhooks: the delivery worker (README "Webhooks"). */
  webhooks: WebhookWorker;
  /** Graceful stop: stop accepting, drain requests, close the database. */
  stop(): Promise<void>;
}

export interface GatewayCaching {
  responseCache: ResponseCache | null;
  purger: CdnPurger | null;
  /**
   * Drops the answers that carry any of the keys from the response cache, then queues the purge
   * of `purgeKeys` (all of them unless given) at the CDN, with `content`, the key of answers
   * whose keys passed the header cap.
   */
  invalidate(keys: readonly string[], purgeKeys?: readonly string[]): Promise<void>;
}

export interface GatewayOptions {
  clock?: Clock;
  log?: Logger;
}

/** Opens the database (migrating, seeding the demo site if configured), builds schema and server. */
export async function createGateway(
  config: Config,
  options: GatewayOptions = {},
): Promise<Gateway> {
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const metrics = createMetrics();
  const db = createDataSource(config.database, {
    log,
    onStatement: () => metrics.dbStatements.inc(),
  });
  registerDbPoolMetrics(metrics, db);
  await openDataSource(db, config.migrationsRun);
  if (config.demoContent) {
    await seedDemoContent(db, config.contentDir, log);
    await seedDemoViews(db, clock(), log);
  }
  // Read statements run through one reader that keeps them prepared; public reads on the read
  // replicas where DATABASE_READ_URLS names any (README "Read replicas").
  const reader = new SqlReader(db, createReadReplicas(config.database, log));
  // Redis, when configured, holds what replicas share: rate-limit counters, persisted queries and
  // the view guard's memory (dedupe, rate, unique visitors), readers now and engagement view ids.
  const redis = config.redisUrl ? createRedis(config.redisUrl, log) : null;
  // One view counter (buffer + flusher) per process; rankings read what it has written.
  const counter = new ViewCounter(
    db,
    config.views,
    clock,
    log,
    metrics,
    redis
      ? new RedisViewMemory(redis, config.redisKeyPrefix, config.views, log, metrics)
      : undefined,
    // Readers now and the view ids awaiting engagement reports, shared the same way.
    redis
      ? new RedisLiveReaders(redis, config.redisKeyPrefix, config.views.memoryMaxEntries, log)
      : undefined,
    redis
      ? new RedisEngagementLedger(redis, config.redisKeyPrefix, config.views.memoryMaxEntries, log)
      : undefined,
  );
  const views: ViewServices = {
    counter,
    rankings: new RankingSnapshots(
      reader.publicReads,
      {
        snapshotTtlSeconds: config.views.snapshotTtlSeconds,
        trendingHalfLifeHours: config.trendingHalfLifeHours,
        timeZone: config.views.timeZone,
      },
      () => counter.generation,
    ),
  };
  // Preview and scheduling (README "Preview", "Scheduling"): the preview-link key exists before
  // the first request (outside production, generated once and kept in the database); scheduled
  // articles turn the ranking snapshots over when they become public, and the next one caps
  // every public max-age.
  const previewKey = await ensurePreviewSecret(db, config, clock());
  if (previewKey === null) {
    log.warn('PREVIEW_SECRET is not set: preview links are off (README "Preview")');
  }
  const publications = new PublicationSchedule(reader, clock, log);
  publications.onPublished(event => views.rankings.invalidate(event.at));
  // Change events (README "Change events"): every write records its event in its transaction;
  // the feed reads the outbox (nudged after local writes, polled for other processes' ones) and
  // tells its listeners. A scheduled time that passes is recorded here, once across replicas.
  const changes = new ChangeFeed(db, clock, log, config.changes);
  const announce = (at: Date) =>
    announcePublications(db, at)
      .then(ids => (ids.length ? changes.nudge() : undefined))
      .catch(error => log.error({ err: error }, 'recording scheduled publications failed'));
  publications.onPublished(event => void announce(event.at));
  const schema = await buildGatewaySchema();
  // Editorial writes: their own per-token counters in a one-minute window (WRITE_RATE_PER_MINUTE).
  const editorial: EditorialServices = {
    db,
    limiter: redis
      ? redisRateLimiter(redis, config.redisKeyPrefix, 60, log)
      : memoryRateLimiter(60),
    log,
    settings: config.editorial,
    publishedArticles: counter.publishedArticles,
    publications,
    changes,
  };
  // Caching (README "Caching"): the response cache (Redis where REDIS_URL is set, else memory) and
  // the CDN purger; a change drops the gateway's own answers first, so that a CDN refetching after
  // the purge gets the new one.
  const responseCache = config.caching.responseCache
    ? new ResponseCache({
        store: redis
          ? new RedisResponseStore(redis, config.redisKeyPrefix)
          : new MemoryResponseStore(config.caching.responseCache.maxBytes, () => clock().getTime()),
        clock,
        registry: metrics.registry,
        fixedBaseUrl: config.publicUrl !== null,
        exposeStatementCount: !config.production,
      })
    : null;
  const purger = createCdnPurger(config.caching.purge, log, metrics.registry);
  const caching: GatewayCaching = {
    responseCache,
    purger,
    invalidate: async (keys, purgeKeys = keys) => {
      const all = [...new Set([...keys, cacheKeys.all])];
      await responseCache
        ?.invalidate(all)
        .catch(error => log.error({ err: error }, 'response cache invalidation failed'));
      if (purgeKeys.length) purger?.purgeKeys([...new Set([...purgeKeys, cacheKeys.all])]);
    },
  };
  // Caches first (before webhooks): each change drops its answers here and purges them at the CDN
  // before the write answers, so that a consumer told of it refetches the new content. Every
  // replica drops its own answers; one purges each event (claimPurges, with Redis).
  changes.onChange(async events => {
    const purged = purger ? await claimPurges(redis, config.redisKeyPrefix, events) : [];
    await caching.invalidate(cacheKeysOfChanges(events), cacheKeysOfChanges(purged));
  });
  const server = await createServer({
    responseCache: responseCache ?? undefined,
    editorial,
    config,
    db,
    reader,
    schema,
    log,
    metrics,
    clock,
    views,
    tokens: new TokenVerifier(db),
    rateLimiter: redis
      ? redisRateLimiter(redis, config.redisKeyPrefix, config.rateLimits.windowSeconds, log)
      : memoryRateLimiter(config.rateLimits.windowSeconds),
    persistedQueryCache: redis
      ? new RedisKeyValueCache(
          redis,
          `${config.redisKeyPrefix}apq:`,
          config.persistedQueryTtlSeconds,
        )
      : undefined,
    publications,
  });
  counter.start();
  await publications.start();
  await changes.start();
  // Scheduled times that passed while no gateway ran are announced now.
  await announce(clock());
  // Signed webhooks (README "Webhooks"): a worker of their own, sending from the outbox what the
  // feed has handed on; registered here, after every other listener, so an event goes out only
  // once this process's caches have dropped what it invalidates. Keep it the last onChange.
  const webhooks = new WebhookWorker({
    db,
    readChanges: (afterId, limit) => readChangesAfter(db, afterId, limit),
    settings: config.webhooks,
    log,
    metrics,
    clock,
  });
  await webhooks.start();
  changes.onChange(webhooks.onChange);
  let stopped: Promise<void> | null = null;
  return {
    config,
    log,
    metrics,
    db,
    server,
    views,
    redis,
    publications,
    caching,
    changes,
    webhooks,
    stop: () => {
      stopped ??= (async () => {
        await server.stop();
        await publications.stop();
        await changes.stop();
        await purger?.stop();
        // Sends in flight are aborted; their deliveries go out again after the lease (at least once).
        await webhooks.stop();
        // Buffered views are written before the database closes (README "Durability").
        await counter.stop().catch(error => log.error({ err: error }, 'last view flush failed'));
        await reader.close();
        await db.destroy();
        await redis?.quit().catch(() => redis.disconnect());
      })();
      return stopped;
    },
  };
}
