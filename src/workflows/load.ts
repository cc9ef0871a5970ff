import { readFileSync } from 'node:fs';
import type { FileProblem } from '../core/errors.js';
import { type Locator, parseStructured } from '../core/structured-file.js';
import { type StepDefinition, stepKind, type WorkflowDefinition, workflowSchema } from './definition.js';
import { WorkflowDefinitionError } from './errors.js';
import { templatePaths } from './expression.js';

/** Reads and checks a workflow file: schema, references, and that the steps form a DAG. */
export function loadWorkflowFile(file: string): WorkflowDefinition {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new WorkflowDefinitionError(file, [
      { path: '', message: `cannot read: ${(error as Error).message}` },
    ]);
  }
  const parsed = parseStructured(text, workflowSchema);
  if (!parsed.ok) throw new WorkflowDefinitionError(file, parsed.problems);
  const problems = checkWorkflow(parsed.value, parsed.locate);
  if (problems.length) throw new WorkflowDefinitionError(file, problems);
  return parsed.value;
}

/** Checks a definition given as an object (from TypeScript or a stored run). */
export function validateWorkflow(definition: unknown, label = 'workflow'): WorkflowDefinition {
  const parsed = workflowSchema.safeParse(definition);
  if (!parsed.success) {
    throw new WorkflowDefinitionError(
      label,
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const problems = checkWorkflow(parsed.data, () => undefined);
  if (problems.length) throw new WorkflowDefinitionError(label, problems);
  return parsed.data;
}

/** Dependencies of each step: its `needs` plus any branch that names it. */
export function dependencies(workflow: WorkflowDefinition): Map<string, Set<string>> {
  const deps = new Map<string, Set<string>>(workflow.steps.map((s) => [s.id, new Set(s.needs)]));
  for (const step of workflow.steps) {
    if (!('branch' in step)) continue;
    for (const target of [...step.branch.then, ...step.branch.else]) deps.get(target)?.add(step.id);
  }
  return deps;
}

function checkWorkflow(workflow: WorkflowDefinition, locate: Locator): FileProblem[] {
  const problems: FileProblem[] = [];
  const at = (path: (string | number)[], message: string) => {
    const pos = locate(path);
    problems.push({ path: path.join('.'), message, ...(pos ? { line: pos.line, column: pos.col } : {}) });
  };
  const index = new Map<string, number>();
  workflow.steps.forEach((step, i) => {
    if (index.has(step.id)) at(['steps', i, 'id'], `duplicate step id "${step.id}"`);
    else index.set(step.id, i);
  });
  workflow.steps.forEach((step, i) => {
    step.needs.forEach((need, j) => {
      if (!index.has(need)) at(['steps', i, 'needs', j], `unknown step "${need}"`);
    });
    if ('branch' in step) {
      for (const side of ['then', 'else'] as const) {
        step.branch[side].forEach((target, j) => {
          if (!index.has(target)) at(['steps', i, 'branch', side, j], `unknown step "${target}"`);
        });
      }
    }
    for (const path of referencedSteps(step)) {
      if (!index.has(path)) at(['steps', i], `refers to unknown step "${path}"`);
    }
  });
  if (problems.length === 0) {
    const cycle = findCycle(dependencies(workflow));
    if (cycle) at(['steps', index.get(cycle[0]!)!], `the steps form a cycle: ${cycle.join(' → ')}`);
  }
  return problems;
}

/** Step ids named in templates (`${{ steps.x.output }}`) and conditions (`{"var": "steps.x..."}`). */
export function referencedSteps(step: StepDefinition): string[] {
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') texts.push(...templatePaths(value), value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(step);
  const kind = stepKind(step);
  if (kind === 'foreach' && 'foreach' in step) texts.push(step.foreach);
  const ids = new Set<string>();
  for (const text of texts) {
    const match = /^steps\.([a-z][a-z0-9_-]*)/.exec(text);
    if (match) ids.add(match[1]!);
  }
  return [...ids];
}

function findCycle(deps: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of deps.get(id) ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of deps.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle.reverse();
  }
  return undefined;
}
