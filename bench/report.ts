import fs from 'node:fs';
import path from 'node:path';
import type { LoadResult } from './load/runLoad';

export interface ScenarioResult {
  driver: string;
  replicas: number;
  /** Whether the gateways shared a Redis (--redis: the shared view memory). */
  redis?: boolean;
  scenario: string;
  status: 'measured' | 'skipped' | 'failed';
  note?: string;
  gateway?: LoadResult & { statementsPerRequest: number | null; peakRssMb: number | null };
  baseline?: LoadResult & { statementsPerRequest: number | null };
  parity?: string;
  /** The peer (--peer postgraphile) on the same draws, where it answers the scenario's page. */
  peer?: LoadResult & { peakRssMb: number | null };
  peerParity?: string;
  /** Interleaved rounds the figures are summed over (--rounds). */
  rounds?: number;
}

export interface BenchReport {
  startedAt: string;
  command: string;
  machine: { cpus: number; cpuModel: string; node: string; memoryGb: number };
  options: Record<string, unknown>;
  datasets: Record<string, unknown>[];
  results: ScenarioResult[];
  gatewayPeakRssMb: Record<string, number | null>;
}

const f = (value: number | null | undefined, digits = 0) =>
  value == null || Number.isNaN(value) ? '–' : value.toFixed(digits);

/** One Markdown table row per scenario: gateway, baseline and their ratios. */
export function markdownTable(results: ScenarioResult[]): string {
  const lines = [
    '| driver | scenario | gateway req/s | baseline req/s | ratio req/s | gateway p50 / p99 ms | baseline p50 / p99 ms | ratio p99 | bytes/resp | SQL/req (gw / base) | non-2xx | bad samples | peak RSS MB | same answer |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of results) {
    const driver = `${r.replicas > 1 ? `${r.driver} ×${r.replicas}` : r.driver}${r.redis ? ' +redis' : ''}`;
    if (r.status !== 'measured' || !r.gateway || !r.baseline) {
      lines.push(`| ${driver} | ${r.scenario} | ${r.status}: ${r.note ?? ''} ||||||||||||`);
      continue;
    }
    const g = r.gateway;
    const b = r.baseline;
    lines.push(
      `| ${driver} | ${r.scenario} | ${f(g.requestsPerSecond)} | ${f(b.requestsPerSecond)} | ${f(g.requestsPerSecond / b.requestsPerSecond, 2)} | ${f(g.latencyP50, 1)} / ${f(g.latencyP99, 1)} | ${f(b.latencyP50, 1)} / ${f(b.latencyP99, 1)} | ${f(g.latencyP99 / b.latencyP99, 2)} | ${f(g.bytesPerResponse)} | ${f(g.statementsPerRequest, 2)} / ${f(b.statementsPerRequest, 2)} | ${g.non2xx + b.non2xx} | ${g.badResponses + b.badResponses} of ${g.sampled + b.sampled} | ${f(g.peakRssMb)} | ${r.parity?.startsWith('equal') || r.parity?.startsWith('counts exact') ? 'yes' : r.parity?.startsWith('not') ? '–' : 'NO'} |`,
    );
  }
  return lines.join('\n');
}

/** The gateway against the peer, where one ran: req/s and p99 ratios, and whether answers agreed. */
export function peerTable(results: ScenarioResult[]): string | null {
  const rows = results.filter(r => r.status === 'measured' && r.gateway && r.peer);
  if (!rows.length) return null;
  const lines = [
    '| driver | scenario | rounds | gateway req/s | peer req/s | gateway / peer req/s | gateway p50 / p99 ms | peer p50 / p99 ms | ratio p99 | gateway / baseline req/s | peer peak RSS MB | same answer |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const g = r.gateway!;
    const p = r.peer!;
    const b = r.baseline;
    lines.push(
      `| ${r.driver} | ${r.scenario} | ${r.rounds ?? 1} | ${f(g.requestsPerSecond)} | ${f(p.requestsPerSecond)} | ${f(g.requestsPerSecond / p.requestsPerSecond, 2)} | ${f(g.latencyP50, 1)} / ${f(g.latencyP99, 1)} | ${f(p.latencyP50, 1)} / ${f(p.latencyP99, 1)} | ${f(g.latencyP99 / p.latencyP99, 2)} | ${b ? f(g.requestsPerSecond / b.requestsPerSecond, 2) : '–'} | ${f(p.peakRssMb)} | ${r.peerParity?.startsWith('equal') ? 'yes' : 'NO'} |`,
    );
  }
  return lines.join('\n');
}

export function writeReport(report: BenchReport, outDir: string): { json: string; md: string } {
  fs.mkdirSync(outDir, { recursive: true });
  // Named after the minute the run started; with the seconds where a run of that minute exists.
  let stamp = report.startedAt.slice(0, 16).replace(':', '-');
  if (fs.existsSync(path.join(outDir, `${stamp}.md`))) {
    stamp = report.startedAt.slice(0, 19).replace(/:/g, '-');
  }
  const json = path.join(outDir, `${stamp}.json`);
  const md = path.join(outDir, `${stamp}.md`);
  fs.writeFileSync(json, JSON.stringify(report, null, 2));
  // What is worth a line: answers that differ, and the problems of sampled responses.
  const notes = report.results.flatMap(r => {
    const found = [
      r.parity && !/^(equal|not)/.test(r.parity) ? r.parity : null,
      ...(r.gateway?.problems ?? []).map(p => `gateway: ${p}`),
      ...(r.baseline?.problems ?? []).map(p => `baseline: ${p}`),
      r.peerParity && !r.peerParity.startsWith('equal') ? `peer: ${r.peerParity}` : null,
      ...(r.peer?.problems ?? []).map(p => `peer: ${p}`),
    ].filter(Boolean);
    return found.length
      ? [`- ${r.driver}${r.redis ? ' +redis' : ''} ${r.scenario}: ${found.join('; ')}`]
      : [];
  });
  const peer = peerTable(report.results);
  const text = [
    `# Benchmark ${report.startedAt}`,
    '',
    `Command: \`${report.command}\``,
    '',
    `Machine: ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGb} GB, Node.js ${report.machine.node}; autocannon in the same process tree on the same machine.`,
    '',
    `Options: ${JSON.stringify(report.options)}`,
    '',
    ...report.datasets.map(d => `Dataset: ${JSON.stringify(d)}`),
    '',
    markdownTable(report.results),
    '',
    'Ratios are gateway / baseline (req/s: higher is better; p99: lower is better). SQL/req is the delta of',
    "the gateway's `gateway_db_statements_total` (and the baseline's own count) over the measured requests.",
    "Peak RSS is the gateway process's VmHWM after the scenario (cumulative since its start).",
    "In the apolloFloor rows the gateway's columns are Apollo Server alone's (bench/floor/): no database,",
    "no plugins, against the baseline's recordView; viewBeacon is POST /views against the same.",
    '',
    ...(peer
      ? [
          'Against the peer (PostGraphile 4, bench/peer/; ratios gateway / peer, the same draws):',
          '',
          peer,
          '',
        ]
      : []),
    ...(notes.length ? ['Notes:', '', ...notes, ''] : []),
  ].join('\n');
  fs.writeFileSync(md, text);
  return { json, md };
}
