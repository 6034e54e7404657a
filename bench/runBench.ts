import './needsBetterSqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { openPostgres, openSqlite } from './dataset/BenchDatabase';
import { type Dataset, ensureDataset } from './dataset/ensureDataset';
import { createBenchToken } from './load/benchToken';
import { freePort, memoryOf, type Server, startNode, stopServer } from './load/processes';
import { runLoad, type LoadRequest, type LoadResult } from './load/runLoad';
import {
  loadRequestPool,
  registration,
  type RequestPool,
  scenarioRequest,
} from './load/scenarioRequests';
import { countedByGateways, viewsAcrossReplicas } from './load/viewCounts';
import { type BenchOptions, type GatewayDriver, parseOptions } from './options';
import { peerPage, startPeer } from './peer/peerRun';
import { markdownTable, type BenchReport, type ScenarioResult, writeReport } from './report';
import { type Features, isCached, type ScenarioName, scenarioNames, uncachedOf } from './scenarios';

const root = path.resolve(__dirname, '..', '..', '..');
const dataDir = path.join(root, 'bench', 'data');
const baseUrl = 'https://bench.example';

const say = (message: string) => process.stdout.write(`[bench] ${message}\n`);

/** What the built gateway offers: the view fields appear in the committed schema. */
function detectFeatures(dataset: Dataset, gatewayDir: string): Features {
  const schema = fs.readFileSync(path.join(gatewayDir, 'src', 'schema', 'schema.graphql'), 'utf8');
  const views =
    /\bmostRead\(/.test(schema) &&
    /\brecordView\(/.test(schema) &&
    /\bviewStats\(/.test(schema) &&
    dataset.viewTables !== null;
  return { views, recentViews: views && dataset.viewTables?.recent != null };
}

function needsViews(name: ScenarioName): boolean {
  if (isCached(name)) return needsViews(uncachedOf[name]);
  return name !== 'article' && name !== 'listing' && name !== 'tag';
}

async function statementCount(server: Server): Promise<number | null> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    const match = /^gateway_db_statements_total (\d+(?:\.\d+)?)/m.exec(text);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

async function baselineStatements(server: Server): Promise<number | null> {
  try {
    return (
      (await (await fetch(`http://127.0.0.1:${server.port}/stats`)).json()) as {
        statements: number;
      }
    ).statements;
  } catch {
    return null;
  }
}

/** Sorted-key JSON, so that two answers compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

function firstDifference(a: unknown, b: unknown, at = ''): string | null {
  if (canonical(a) === canonical(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${at}.${key}`,
      );
      if (found) return found;
    }
  }
  return `${at || '.'}: gateway ${JSON.stringify(a)?.slice(0, 120)} vs baseline ${JSON.stringify(b)?.slice(0, 120)}`;
}

/**
 * Waits (up to 15 s) until no gateway holds buffered views: a flush landing between the two halves
 * of a parity check would make the same question get two answers (seen after recordView).
 */
async function viewsSettled(gateways: Server[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (const gateway of gateways) {
    while (Date.now() < deadline) {
      const text = await (await fetch(`http://127.0.0.1:${gateway.port}/metrics`)).text();
      const buffered = /^gateway_views_buffered (\d+)/m.exec(text);
      if (!buffered || buffered[1] === '0') break;
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }
}

/** Sends the same requests to both servers and compares the answers; null when all equal. */
async function parity(
  request: LoadRequest,
  gateway: Server,
  baseline: Server,
  count: number,
): Promise<string | null> {
  for (let i = 0; i < count; i += 1) {
    const body = request.body();
    const answers = await Promise.all(
      [gateway, baseline].map(async server => {
        const response = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(request.headers ?? {}) },
          body,
        });
        return (await response.json()) as { data?: unknown; errors?: unknown };
      }),
    );
    if (answers[0].errors)
      return `gateway answered errors: ${JSON.stringify(answers[0].errors).slice(0, 300)}`;
    const difference = firstDifference(answers[0].data, answers[1].data);
    if (difference) return `answers differ at ${difference}`;
  }
  return null;
}

/** Whether the peer answers the gateway's draws with the same data, after mapping names. */
async function peerParity(
  gatewayRequest: LoadRequest,
  peerRequest: LoadRequest,
  mapped: (data: Record<string, unknown>) => Record<string, unknown>,
  gateway: Server,
  peer: Server,
  count: number,
): Promise<string> {
  for (let i = 0; i < count; i += 1) {
    const ask = async (server: Server, body: string) => {
      const response = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
    };
    const [ours, theirs] = await Promise.all([
      ask(gateway, gatewayRequest.body()),
      ask(peer, peerRequest.body()),
    ]);
    if (ours.errors || theirs.errors || !theirs.data) {
      return `errors: ${JSON.stringify(ours.errors ?? theirs.errors).slice(0, 300)}`;
    }
    const difference = firstDifference(ours.data, mapped(theirs.data));
    if (difference) return `answers differ at ${difference.replace('vs baseline', 'vs peer')}`;
  }
  return `equal on ${count} requests`;
}

/** Load results of several rounds as one: requests over seconds, the median round's latencies. */
function combined<T extends LoadResult>(rounds: T[]): T {
  if (rounds.length === 1) return rounds[0];
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0);
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  const statements = rounds.map(
    r => (r as { statementsPerRequest?: number | null }).statementsPerRequest,
  );
  return {
    ...rounds[0],
    requests,
    seconds,
    requestsPerSecond: requests / seconds,
    latencyP50: median(rounds.map(r => r.latencyP50)),
    latencyP99: median(rounds.map(r => r.latencyP99)),
    latencyMax: Math.max(...rounds.map(r => r.latencyMax)),
    bytesPerResponse:
      rounds.reduce((sum, r) => sum + r.bytesPerResponse * r.requests, 0) / requests,
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    timeouts: rounds.reduce((sum, r) => sum + r.timeouts, 0),
    sampled: rounds.reduce((sum, r) => sum + r.sampled, 0),
    badResponses: rounds.reduce((sum, r) => sum + r.badResponses, 0),
    problems: rounds.flatMap(r => r.problems).slice(0, 5),
    ...(statements.every(v => v != null)
      ? {
          statementsPerRequest:
            rounds.reduce((sum, r, i) => sum + (statements[i] as number) * r.requests, 0) /
            requests,
        }
      : statements.some(v => v !== undefined)
        ? { statementsPerRequest: null }
        : {}),
  };
}

/** Registers a cached scenario's persisted query with every gateway (hash and query text, once). */
async function registerPersisted(gateways: Server[], request: LoadRequest): Promise<void> {
  const body = registration(request);
  for (const server of gateways) {
    const response = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const answer = (await response.json()) as { errors?: unknown };
    if (answer.errors)
      throw new Error(
        `registering the persisted query failed: ${JSON.stringify(answer.errors).slice(0, 300)}`,
      );
  }
}

interface DriverRun {
  gateways: Server[];
  baselines: Server[];
  /** Apollo Server alone (scenario apolloFloor); started only where that scenario runs. */
  floors: Server[];
  /** The peer (--peer postgraphile), on the PostgreSQL driver. */
  peers: Server[];
  pool: RequestPool;
  features: Features;
  token?: string;
  /** These gateways share a Redis (--redis): the view memory is theirs together. */
  redis?: boolean;
  /** With --redis: the views stored in the database (SUM of article_view_total), for exact counts. */
  storedViews?: () => Promise<number>;
}

/** A fresh key prefix in the Redis that --redis gateways share. */
interface SharedRedis {
  url: string;
  prefix: string;
}

function gatewayEnv(
  driver: GatewayDriver,
  dataset: Dataset,
  file: string,
  port: number,
  gatewayDir: string,
  redis?: SharedRedis,
) {
  const database =
    driver === 'postgres'
      ? {
          DATABASE_URL: dataset.settings.url,
          DATABASE_SCHEMA: (dataset.settings as { schema: string }).schema,
        }
      : { DATABASE_URL: `${driver === 'better-sqlite3' ? 'better-sqlite3' : 'sqlite'}:${file}` };
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: baseUrl,
    DEMO_CONTENT: 'false',
    // The *Cached scenarios' persisted queries are answered from it; the others, POSTs with query
    // text, never are (README "Caching").
    RESPONSE_CACHE: 'true',
    ...database,
    ...(redis ? { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix } : {}),
    // The benchmark's one client would trip the per-IP limits meant for the internet.
    ...benchLimits(gatewayDir),
  };
}

/**
 * Settings that lift the per-client rate limits for the load generator, which is one
 * client at one IP: kept on (their cost is measured) at their highest allowed value.
 */
function benchLimits(gatewayDir: string): Record<string, string> {
  const config = fs.readFileSync(path.join(gatewayDir, 'src', 'config.ts'), 'utf8');
  const env: Record<string, string> = {};
  for (const match of config.matchAll(/\b(RATE_LIMIT_[A-Z_]*PER_[A-Z_]+): int\(\d+, ([\d_]+)\)/g)) {
    env[match[1]] = match[2].replace(/_/g, '');
  }
  return env;
}

/**
 * The gateway's heap limit in MB: --heap-mb, else the one npm start passes (HEAP_MAX_MB's default
 * in the gateway's src/config.ts); 'v8' (no flag) for --heap-mb v8 or a gateway without it.
 */
function resolveHeapMb(options: BenchOptions, gatewayDir: string): number | 'v8' {
  if (options.heapMb !== null) return options.heapMb;
  const config = fs.readFileSync(path.join(gatewayDir, 'src', 'config.ts'), 'utf8');
  const startDefault = /\bHEAP_MAX_MB: int\([^)]*\)\.default\(([\d_]+)\)/.exec(config)?.[1];
  return startDefault ? Number(startDefault.replace(/_/g, '')) : 'v8';
}

async function startGateways(
  options: BenchOptions,
  driver: GatewayDriver,
  dataset: Dataset,
  file: string,
  tag: string,
  redis?: SharedRedis,
): Promise<Server[]> {
  const servers: Server[] = [];
  for (let i = 0; i < options.replicas; i += 1) {
    const port = await freePort();
    const profileDir = path.resolve(root, options.out, 'profiles');
    if (options.cpuProf) fs.mkdirSync(profileDir, { recursive: true });
    servers.push(
      await startNode({
        name: `gateway ${driver}${redis ? ' +redis' : ''} #${i + 1}`,
        script: path.join(path.resolve(options.gatewayDir ?? root), 'dist', 'index.js'),
        env: gatewayEnv(
          driver,
          dataset,
          file,
          port,
          path.resolve(options.gatewayDir ?? root),
          redis,
        ),
        port,
        readyPath: '/ready',
        logFile: path.join(dataDir, `gateway-${driver}${redis ? '-redis' : ''}-${i + 1}.log`),
        nodeArgs: [
          ...(typeof options.heapMb === 'number' ? [`--max-old-space-size=${options.heapMb}`] : []),
          ...(options.cpuProf
            ? [
                '--cpu-prof',
                `--cpu-prof-dir=${profileDir}`,
                `--cpu-prof-name=${driver}-${tag}-${i + 1}.cpuprofile`,
              ]
            : []),
        ],
      }),
    );
  }
  return servers;
}

async function startBaselines(
  options: BenchOptions,
  driver: GatewayDriver,
  dataset: Dataset,
  file: string,
  features: Features,
): Promise<Server[]> {
  const servers: Server[] = [];
  for (let i = 0; i < options.replicas; i += 1) {
    const port = await freePort();
    const database =
      driver === 'postgres'
        ? {
            BASELINE_POSTGRES_URL: dataset.settings.url,
            BASELINE_POSTGRES_SCHEMA: (dataset.settings as { schema: string }).schema,
          }
        : { BASELINE_SQLITE: file };
    servers.push(
      await startNode({
        name: `baseline ${driver} #${i + 1}`,
        script: path.join(__dirname, 'baseline', 'baselineServer.js'),
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          BASELINE_PORT: String(port),
          BASELINE_BASE_URL: baseUrl,
          BASELINE_VIEWS: String(features.views),
          BASELINE_RECENT_VIEWS: String(features.recentViews),
          ...database,
        },
        port,
        readyPath: '/stats',
        logFile: path.join(dataDir, `baseline-${driver}-${i + 1}.log`),
      }),
    );
  }
  return servers;
}

/** Apollo Server alone with recordView (bench/floor/apolloFloorServer.ts), in production mode. */
async function startFloor(): Promise<Server> {
  const port = await freePort();
  return startNode({
    name: 'Apollo Server alone',
    script: path.join(__dirname, 'floor', 'apolloFloorServer.js'),
    env: { PATH: process.env.PATH, NODE_ENV: 'production', FLOOR_PORT: String(port) },
    port,
    readyPath: '/ready',
    logFile: path.join(dataDir, 'apollo-floor.log'),
  });
}

async function measure(
  servers: Server[],
  options: BenchOptions,
  request: LoadRequest,
  statements: (server: Server) => Promise<number | null>,
) {
  const urls = servers.map(server => `http://127.0.0.1:${server.port}`);
  if (options.warmup > 0) {
    await runLoad({ urls, connections: options.connections, seconds: options.warmup, request });
  }
  const before = await Promise.all(servers.map(statements));
  const result = await runLoad({
    urls,
    connections: options.connections,
    seconds: options.duration,
    request,
  });
  const after = await Promise.all(servers.map(statements));
  const delta =
    before.every(v => v != null) && after.every(v => v != null)
      ? after.reduce((sum: number, v, i) => sum + (v as number) - (before[i] as number), 0)
      : null;
  // The /metrics (or /stats) reads themselves are not SQL; the view flusher's statements are.
  return {
    ...result,
    statementsPerRequest: delta == null ? null : delta / Math.max(1, result.requests),
  };
}

// Pairs sent to every replica after a view scenario of a --redis run: each must count once.
const crossReplicaPairs = 300;

/**
 * After a view scenario of a --redis run: the database holds exactly what the gateways' guards
 * counted (warm-up and load), and visitor-article pairs sent to every replica count once each
 * where the replicas share Redis (without it each replica counts them: reported, not failed).
 */
async function exactCounts(
  gateways: Server[],
  run: DriverRun,
  before: { stored: number; counted: number },
  storedViews: () => Promise<number>,
): Promise<{ failed: boolean; text: string }> {
  await viewsSettled(gateways);
  const stored = (await storedViews()) - before.stored;
  const counted = (await countedByGateways(gateways)) - before.counted;
  const slugs = run.pool.articles.map(article => article.slug);
  const cross = await viewsAcrossReplicas(gateways, slugs, crossReplicaPairs);
  await viewsSettled(gateways);
  const crossStored = (await storedViews()) - before.stored - stored;
  const load = `${stored} views stored, ${counted} counted by the ${gateways.length} guards`;
  const pairs = `${cross.counted} of ${cross.sent} counted (${crossStored} stored) for ${crossReplicaPairs} pairs each sent to all ${gateways.length} replicas`;
  const written = stored === counted && crossStored === cross.counted;
  if (written && cross.counted === crossReplicaPairs)
    return { failed: false, text: `counts exact: ${load}; ${pairs}` };
  if (written && !run.redis)
    return { failed: false, text: `counted per replica (no shared memory): ${load}; ${pairs}` };
  return { failed: true, text: `counts wrong: ${load}; ${pairs}` };
}

async function runScenario(
  name: ScenarioName,
  driver: GatewayDriver,
  options: BenchOptions,
  run: DriverRun,
): Promise<ScenarioResult> {
  const base = {
    driver,
    replicas: options.replicas,
    ...(run.redis ? { redis: true } : {}),
    scenario: name,
  };
  if (needsViews(name) && !run.features.views) {
    return { ...base, status: 'skipped', note: 'the gateway has no views API yet' };
  }
  if (name === 'viewStats' && !run.token) {
    return { ...base, status: 'skipped', note: 'no way to make an analytics:read token yet' };
  }
  // The beacon's and the floor's baseline is the baseline's recordView: one row inserted a request.
  const writes = name === 'recordView' || name === 'viewBeacon' || name === 'apolloFloor';
  const floor = name === 'apolloFloor';
  const requestFor = (seed: number, who: string, scenario: ScenarioName = name) =>
    scenarioRequest(scenario, run.pool, run.features, {
      seed,
      token: run.token,
      visitorPrefix: `${who}-${Date.now()}`,
    });
  // A cached scenario's baseline and parity are its page's: the raw SQL answer of the operation.
  const page = isCached(name) ? uncachedOf[name] : name;
  if (!writes) await viewsSettled(run.gateways);
  const different = writes
    ? null
    : await parity(requestFor(11, 'parity', page), run.gateways[0], run.baselines[0], 5);
  if (isCached(name)) await registerPersisted(run.gateways, requestFor(3, 'register', page));
  const measured = floor ? run.floors : run.gateways;
  const counting = writes && !floor && run.storedViews ? run.storedViews : null;
  const countsBefore = counting
    ? { stored: await counting(), counted: await countedByGateways(measured) }
    : null;
  const peer = writes || !run.peers.length ? null : peerPage(name, run.pool, run.features);
  const peerAnswers =
    peer && !floor
      ? await peerParity(
          requestFor(11, 'parity', page),
          peer.request(11),
          peer.mapped,
          run.gateways[0],
          run.peers[0],
          5,
        )
      : undefined;
  // Each side measured once a round, the order rotating, so a slower stretch of the machine
  // falls on each in turn; the gateway and the peer get the same draws (the same seed).
  const sides = [
    {
      key: 'baseline' as const,
      run: (round: number) =>
        measure(
          run.baselines,
          options,
          requestFor(1 + 100 * round, 'baseline', writes ? 'recordView' : page),
          baselineStatements,
        ),
    },
    {
      key: 'gateway' as const,
      run: (round: number) =>
        measure(
          measured,
          options,
          requestFor(2 + 100 * round, floor ? 'floor' : 'gateway'),
          floor ? async () => 0 : statementCount,
        ),
    },
    ...(peer
      ? [
          {
            key: 'peer' as const,
            run: (round: number) =>
              measure(run.peers, options, peer.request(2 + 100 * round), async () => null),
          },
        ]
      : []),
  ];
  const rounds: Record<'baseline' | 'gateway' | 'peer', Awaited<ReturnType<typeof measure>>[]> = {
    baseline: [],
    gateway: [],
    peer: [],
  };
  for (let round = 0; round < options.rounds; round += 1) {
    for (let i = 0; i < sides.length; i += 1) {
      const side = sides[(i + round) % sides.length];
      say(
        `${driver} ${name}: ${side.key === 'gateway' && floor ? 'Apollo Server alone' : side.key}${options.rounds > 1 ? ` (round ${round + 1} of ${options.rounds})` : ''}`,
      );
      rounds[side.key].push(await side.run(round));
    }
  }
  const baseline = combined(rounds.baseline);
  const gateway = combined(rounds.gateway);
  const peerResult = rounds.peer.length ? combined(rounds.peer) : undefined;
  const counts = countsBefore
    ? await exactCounts(measured, run, countsBefore, counting as () => Promise<number>)
    : null;
  const peaks = measured.map(server => memoryOf(server.process.pid)?.peakMb ?? null);
  const peakRssMb = peaks.every(p => p != null) ? Math.max(...(peaks as number[])) : null;
  const peerPeak = run.peers.length ? (memoryOf(run.peers[0].process.pid)?.peakMb ?? null) : null;
  const failed =
    counts?.failed ||
    (peerResult ? peerResult.non2xx + peerResult.errors + peerResult.badResponses > 0 : false) ||
    gateway.non2xx + baseline.non2xx > 0 ||
    gateway.badResponses + baseline.badResponses > 0 ||
    gateway.errors > 0;
  return {
    ...base,
    status: failed ? 'failed' : 'measured',
    note: failed
      ? counts?.failed
        ? 'counts not exact; see notes'
        : 'non-2xx, connection errors or error bodies; see problems'
      : undefined,
    gateway: { ...gateway, peakRssMb },
    baseline,
    parity: counts?.text ?? different ?? (writes ? 'not compared (writes)' : 'equal on 5 requests'),
    ...(peerResult
      ? { peer: { ...peerResult, peakRssMb: peerPeak }, peerParity: peerAnswers }
      : {}),
    rounds: options.rounds,
  };
}

async function runDriver(options: BenchOptions, driver: GatewayDriver, report: BenchReport) {
  const dialect = driver === 'postgres' ? 'postgres' : 'sqlite';
  const dataset = await ensureDataset({
    spec: options.spec,
    dialect,
    dataDir,
    postgresUrl: options.postgresUrl,
    maxAgeHours: options.maxAgeHours,
    progress: say,
  });
  report.datasets.push({
    driver,
    location: dataset.location,
    seconds: dataset.seconds,
    reused: dataset.reused,
    counts: dataset.counts,
    generatedAt: new Date(dataset.generatedAt).toISOString(),
  });
  // SQLite: a working copy per run, so the views the run records never change the dataset.
  const file = path.join(dataDir, `run-${driver}.sqlite`);
  if (dialect === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
    fs.copyFileSync(dataset.settings.type === 'sqlite' ? dataset.settings.database : '', file);
  }
  const features = detectFeatures(dataset, path.resolve(options.gatewayDir ?? root));
  const db =
    dialect === 'sqlite'
      ? openSqlite(file)
      : await openPostgres(dataset.settings.url, (dataset.settings as { schema: string }).schema);
  let pool: RequestPool;
  let token: string | undefined;
  try {
    pool = await loadRequestPool(db, Date.now());
    token = features.views ? ((await createBenchToken(db)) ?? undefined) : undefined;
  } finally {
    await db.close();
  }
  // The article page without the sidebar is the peer's page: measured with --peer or when named.
  const wanted = scenarioNames.filter(name =>
    options.scenarios ? options.scenarios.includes(name) : name !== 'articleBare' || options.peer,
  );
  // With --redis, the view scenarios check their counts in the database afterwards.
  const counts = options.redisUrl
    ? dialect === 'sqlite'
      ? openSqlite(file)
      : await openPostgres(dataset.settings.url, (dataset.settings as { schema: string }).schema)
    : null;
  const storedViews = counts
    ? async () =>
        Number(
          (
            await counts.query<{ views: number | string | null }>(
              'SELECT SUM(views) AS views FROM article_view_total',
            )
          )[0]?.views ?? 0,
        )
    : undefined;
  const baselines = await startBaselines(options, driver, dataset, file, features);
  const floors = wanted.includes('apolloFloor') && features.views ? [await startFloor()] : [];
  const peers =
    options.peer && dataset.settings.type === 'postgres'
      ? [
          await startPeer({
            root,
            postgresUrl: dataset.settings.url,
            schema: (dataset.settings as { schema: string }).schema,
            baseUrl,
            logFile: path.join(dataDir, 'peer-postgraphile.log'),
          }),
        ]
      : [];
  let gateways: Server[] = [];
  try {
    if (!options.cpuProf) gateways = await startGateways(options, driver, dataset, file, 'all');
    for (const name of wanted) {
      // With --cpu-prof, one gateway process per scenario, so each profile shows one workload.
      if (options.cpuProf) gateways = await startGateways(options, driver, dataset, file, name);
      let result: ScenarioResult;
      try {
        result = await runScenario(name, driver, options, {
          gateways,
          baselines,
          floors,
          peers,
          pool,
          features,
          token,
          storedViews,
        });
      } catch (error) {
        result = {
          driver,
          replicas: options.replicas,
          scenario: name,
          status: 'failed',
          note: (error as Error).message.slice(0, 300),
        };
      }
      report.results.push(result);
      say(markdownTable([result]).split('\n').at(-1) ?? '');
      if (options.cpuProf) {
        await Promise.all(gateways.map(stopServer));
        gateways = [];
      }
    }
    if (options.redisUrl && features.views) {
      // The view scenarios again, on replicas sharing Redis: the view memory across replicas.
      const viewScenarios = wanted.filter(name => name === 'recordView' || name === 'viewBeacon');
      await Promise.all(gateways.map(stopServer));
      gateways = [];
      const redis = { url: options.redisUrl, prefix: `bench-${Date.now()}:` };
      gateways = await startGateways(options, driver, dataset, file, 'redis', redis);
      for (const name of viewScenarios) {
        let result: ScenarioResult;
        try {
          result = await runScenario(name, driver, options, {
            gateways,
            baselines,
            floors,
            // The peer is not a view server: the --redis pass compares the gateway with itself.
            peers: [],
            pool,
            features,
            token,
            redis: true,
            storedViews,
          });
        } catch (error) {
          result = {
            driver,
            replicas: options.replicas,
            redis: true,
            scenario: name,
            status: 'failed',
            note: (error as Error).message.slice(0, 300),
          };
        }
        report.results.push(result);
        say(markdownTable([result]).split('\n').at(-1) ?? '');
      }
      await dropKeys(redis);
    }
    report.gatewayPeakRssMb[driver] = Math.max(
      ...report.results.filter(r => r.driver === driver).map(r => r.gateway?.peakRssMb ?? 0),
    );
  } finally {
    await Promise.all([...gateways, ...baselines, ...floors, ...peers].map(stopServer));
    await counts?.close();
  }
}

/** Deletes the keys a --redis run's gateways wrote (they would expire by the end of the day). */
async function dropKeys(redis: SharedRedis): Promise<void> {
  const client = new Redis(redis.url);
  try {
    for (let cursor = '0'; ; ) {
      const [next, keys] = await client.scanBuffer(
        cursor,
        'MATCH',
        `${redis.prefix}*`,
        'COUNT',
        1000,
      );
      if (keys.length) await client.unlink(...keys);
      cursor = String(next);
      if (cursor === '0') break;
    }
  } finally {
    client.disconnect();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  process.chdir(root);
  options.heapMb = resolveHeapMb(options, path.resolve(options.gatewayDir ?? root));
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    },
    options: { ...options, spec: undefined },
    datasets: [],
    results: [],
    gatewayPeakRssMb: {},
  };
  for (const driver of options.drivers) await runDriver(options, driver, report);
  const files = writeReport(report, path.resolve(root, options.out));
  process.stdout.write(
    `\n${markdownTable(report.results)}\n\nwritten: ${files.md}, ${files.json}\n`,
  );
  const failed = report.results.filter(r => r.status === 'failed');
  if (failed.length) {
    process.stdout.write(
      `failed scenarios: ${failed.map(r => `${r.driver} ${r.scenario}`).join(', ')}\n`,
    );
    process.exitCode = 1;
  }
}

main().catch(error => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
