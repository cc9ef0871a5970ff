/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): the functions with
 * the most self time, the files with the most self time, and the inclusive
 * (self + callees) time of the functions with the most of it.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/runner-overhead.ts --only swarm
 *   npx tsx bench/cpuprofile-summary.ts /tmp/prof/CPU.*.cpuprofile [--top 30] [--match src/]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' }, match: { type: 'string' } },
});
const top = Number(values.top);

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const src = url.search(/\/(src|bench)\//);
  if (src >= 0) return url.slice(src + 1);
  return url.replace(/^file:\/\//, '');
}

function label(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  return frame.url ? `${name} ${shortUrl(frame.url)}:${frame.lineNumber + 1}` : name;
}

function table(title: string, rows: [string, number][], total: number): void {
  console.log(`\n## ${title}\n`);
  console.log('| ms | % | where |\n| ---: | ---: | --- |');
  for (const [key, us] of rows.slice(0, top)) {
    console.log(`| ${(us / 1000).toFixed(1)} | ${((100 * us) / total).toFixed(1)} | \`${key}\` |`);
  }
}

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()]
    .filter(([id]) =>
      /^\((idle|program|garbage collector)\)$/.test(byId.get(id)?.callFrame.functionName ?? ''),
    )
    .map(([id, us]) => `${byId.get(id)!.callFrame.functionName} ${(us / 1000).toFixed(0)} ms`);
  console.log(`# ${file}\n\n${(total / 1000).toFixed(0)} ms sampled; ${idle.join(', ')}`);

  const selfByFn = new Map<string, number>();
  const selfByFile = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    selfByFn.set(label(frame), (selfByFn.get(label(frame)) ?? 0) + us);
    const fileKey = frame.url ? shortUrl(frame.url) : frame.functionName;
    selfByFile.set(fileKey, (selfByFile.get(fileKey) ?? 0) + us);
    // every distinct function on the stack gets the sample once (recursion counted once)
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const key = label(byId.get(cur)!.callFrame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const sorted = (m: Map<string, number>) =>
    [...m.entries()].filter(([k]) => !values.match || k.includes(values.match)).sort((a, b) => b[1] - a[1]);
  table('self time by function', sorted(selfByFn), total);
  table('self time by file', sorted(selfByFile), total);
  table('inclusive time by function', sorted(inclusive), total);
}
