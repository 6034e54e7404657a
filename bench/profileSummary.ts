import fs from 'node:fs';
import path from 'node:path';

/**
 * Summarises V8 CPU profiles written by `npm run bench -- --cpu-prof`: self time by function and
 * by package (node_modules/<name>), project file (src/...) or runtime bucket.
 * Usage: node dist/bench/bench/profileSummary.js <file.cpuprofile> [more ...]
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function bucketOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const project = /\/dist\/(.*)$/.exec(url);
  if (project) return `dist/${project[1]}`;
  if (url.startsWith('node:')) return 'node core';
  return url;
}

function summarise(file: string, top: number): string {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map(node => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  const total = [...self.values()].reduce((sum, t) => sum + t, 0);
  const idle = [...self]
    .filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)')
    .reduce((sum, [, t]) => sum + t, 0);
  const busy = total - idle;
  const functions = new Map<string, number>();
  const buckets = new Map<string, number>();
  for (const [id, time] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + time);
    const bucket = bucketOf(frame.url, frame.functionName);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + time);
  }
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1)} %`;
  const list = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, t]) => `  ${pct(t).padStart(7)}  ${name}`)
      .join('\n');
  return [
    `${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((100 * busy) / total).toFixed(0)} %)`,
    'self time by package or file (share of busy time):',
    list(buckets),
    'self time by function:',
    list(functions),
  ].join('\n');
}

const files = process.argv.slice(2);
if (!files.length) {
  process.stderr.write('usage: profileSummary <file.cpuprofile> ...\n');
  process.exit(1);
}
for (const file of files) process.stdout.write(`${summarise(file, 15)}\n\n`);
