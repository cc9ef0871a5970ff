/**
 * `swarm improve` in a process of its own, for tests that kill it: runs the
 * pipeline on the repository given as the first argument with `--merge`,
 * where the split candidate gets a scripted edit that writes
 * `merged-marker.mjs` (the fixture's test command recognises it).
 */
import { runImprove } from '../../src/improve/pipeline/run-improve.js';
import { scriptedSkill } from './improve-fixture.js';

const repo = process.argv[2];
if (!repo) throw new Error('usage: improve-run-process.ts <repo>');
const skill = scriptedSkill((c) =>
  c.id.startsWith('split-file:') ? { 'merged-marker.mjs': 'export {};\n' } : undefined,
);
await runImprove({
  repo,
  merge: true,
  commandTimeoutMs: 120_000,
  pickSkill: (candidate) => (skill.handles(candidate) ? skill : undefined),
  onProgress: (event) => process.stderr.write(`${event.kind}\n`),
});
