import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkflowDefinitionError } from './errors.js';
import { loadWorkflowFile } from './load.js';

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'swarm-wf-')), 'flow.yaml');
  writeFileSync(path, text);
  return path;
}

function problems(text: string) {
  try {
    loadWorkflowFile(file(text));
  } catch (error) {
    if (error instanceof WorkflowDefinitionError) return error.problems;
    throw error;
  }
  throw new Error('expected the workflow to be refused');
}

describe('loading workflow files', () => {
  it('loads a valid DAG', () => {
    const wf = loadWorkflowFile(
      file(
        'name: ok\nsteps:\n  - id: a\n    tool: list_files\n  - id: b\n    agent: writer\n    task: "${{ steps.a.output }}"\n    needs: [a]\n',
      ),
    );
    expect(wf.steps.map((s) => s.id)).toEqual(['a', 'b']);
    expect(wf.steps[0]).toMatchObject({ retries: 2, needs: [] });
  });

  it('reports malformed YAML with its line', () => {
    expect(problems('name: x\nsteps: [\n')[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('reports unknown step references with their line', () => {
    const found = problems('name: x\nsteps:\n  - id: a\n    tool: t\n    needs: [ghost]\n');
    expect(found[0]).toMatchObject({ path: 'steps.0.needs.0', line: 5, message: 'unknown step "ghost"' });
  });

  it('reports a template that names an unknown step', () => {
    expect(
      problems('name: x\nsteps:\n  - id: a\n    agent: w\n    task: "${{ steps.nope.output }}"\n')[0]
        ?.message,
    ).toMatch(/unknown step "nope"/);
  });

  it('reports cycles, including through branches', () => {
    const found = problems(
      'name: x\nsteps:\n  - id: a\n    tool: t\n    needs: [c]\n  - id: b\n    tool: t\n    needs: [a]\n  - id: c\n    branch: { if: true, then: [a] }\n    needs: [b]\n',
    );
    expect(found[0]?.message).toMatch(/the steps form a cycle: (a → b → c → a|b → c → a → b|c → a → b → c)/);
  });

  it('refuses a step of no known kind and duplicate ids', () => {
    expect(problems('name: x\nsteps:\n  - id: a\n    frobnicate: true\n').length).toBeGreaterThan(0);
    expect(problems('name: x\nsteps:\n  - id: a\n    tool: t\n  - id: a\n    tool: t\n')[0]?.message).toMatch(
      /duplicate step id "a"/,
    );
  });
});
