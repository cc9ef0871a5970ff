import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AgentSummariser, runResearch } from '../../src/research/index.js';
import { fixturePath } from '../support/fixtures.js';
import { chatCount, chatRequest, type Harness, startHarness } from '../support/harness.js';
import { writeProbeProject } from './probe-project.js';

const manifest = parse(readFileSync('examples/agents/research-summariser.yaml', 'utf8')) as Record<
  string,
  unknown
>;
const source = { kind: 'file' as const, path: fixturePath('arxiv', '2026-search-10-entries.xml') };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(reply: string): Promise<Harness> {
  h = await startHarness({
    agents: { 'research-summariser': { ...manifest, model: 'sim:sim-model' } },
    scenario: { rules: [{ match: { system: 'You summarise research papers' }, reply: { content: reply } }] },
  });
  writeProbeProject(h.workspace);
  return h;
}

const summariser = (harness: Harness) =>
  new AgentSummariser({
    runner: harness.runtime.runner,
    events: harness.runtime.events,
    agent: 'research-summariser',
    model: 'sim:sim-model',
  });

describe('model summaries through the agent runner and the simulator over HTTP', () => {
  it('writes the structured summary into the note and its impact into the proposal', async () => {
    const answer = {
      problem: 'Fuzzing cyber-physical systems is slow.',
      method: 'Active learning of a model that guides the fuzzer.',
      result: 'Finds attacks faster than random fuzzing.',
      impact: 'src/fuzzing could learn which inputs to mutate next.',
    };
    const hh = await harness(JSON.stringify(answer));
    const report = await runResearch({
      projectDir: hh.workspace,
      sources: [source],
      top: 2,
      summariser: summariser(hh),
    });
    expect(report.kept).toHaveLength(2);
    expect(report.kept.every((k) => k.summary === 'model')).toBe(true);
    expect(chatCount(hh.sim)).toBe(2);
    const prompt = JSON.stringify(chatRequest(hh.sim, 1).messages);
    const firstKept = report.kept[0]!;
    expect(prompt).toContain(`arXiv: ${firstKept.id}v${firstKept.version}`);
    expect(prompt).toContain('Summarise this paper for the maintainers of the project');

    const note = readFileSync(join(hh.workspace, firstKept.note), 'utf8');
    expect(note).toContain('## Summary (written by research-summariser (sim:sim-model))');
    expect(note).toContain('- **Method.** Active learning of a model that guides the fuzzer.');
    expect(note).toContain(
      '- **What it would change here.** src/fuzzing could learn which inputs to mutate next.',
    );
    const improvements = readFileSync(join(hh.workspace, 'improvements.md'), 'utf8');
    expect(improvements).toContain(`research arXiv:${firstKept.id}v${firstKept.version}: `);
    expect(improvements).toContain('— src/fuzzing could learn which inputs to mutate next. (modules: ');
    const runs = hh.runtime.store.listRuns({ limit: 10 });
    expect(runs.filter((r) => r.status === 'succeeded')).toHaveLength(2);
  });

  it('falls back to a labelled extractive summary when the model answers without the fields', async () => {
    const hh = await harness('I think this paper is interesting.');
    const report = await runResearch({
      projectDir: hh.workspace,
      sources: [source],
      top: 1,
      summariser: summariser(hh),
    });
    expect(report.kept[0]!.summary).toBe('extractive');
    expect(report.warnings[0]).toMatch(/the model summary failed: .*; the note has an extractive summary/);
    const note = readFileSync(join(hh.workspace, report.kept[0]!.note), 'utf8');
    expect(note).toMatch(
      /## Summary \(extractive: sentences copied from the abstract; the model summary failed: /,
    );
    // the runner asked for a corrected answer until the manifest's maxSteps (3) ran out
    expect(chatCount(hh.sim)).toBe(3);
    expect(JSON.stringify(chatRequest(hh.sim, 2).messages)).toContain(
      'does not match the required JSON schema',
    );
  });
});
