import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_VERSION, parseItem, parseRun, parseStep } from './checkpoint.js';
import { validateWorkflow } from './load.js';
import { planRun } from './planner.js';

const root = new URL('../../test/fixtures/checkpoints/', import.meta.url);

/**
 * Checkpoints written by every earlier schema version, committed as they were
 * produced by a real run, must still load and drive the planner: a run
 * started before an upgrade stays resumable after it.
 */
describe('stored checkpoints of every version', () => {
  const versions = readdirSync(root).filter((d) => /^v\d+$/.test(d));

  it('has fixtures up to the current version', () => {
    expect(versions).toContain(`v${CHECKPOINT_VERSION}`);
  });

  for (const version of versions) {
    it(`loads ${version} and plans from it`, () => {
      const read = (name: string) => JSON.parse(readFileSync(new URL(`${version}/${name}`, root), 'utf8'));
      const files = readdirSync(new URL(version, root));
      const run = parseRun(read('run.json'));
      const steps = new Map(
        files.filter((f) => f.startsWith('step-')).map((f) => [f.slice(5, -5), parseStep(read(f))] as const),
      );
      for (const f of files.filter((f) => f.startsWith('item-')))
        expect(parseItem(read(f)).v).toBeGreaterThan(0);
      const definition = files.includes('def.json') ? read('def.json') : run.workflow;
      const plan = planRun(validateWorkflow(definition), steps, run.input);
      expect(plan.status).toBe(run.status);
    });
  }
});
