import { z } from 'zod';

const stepId = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,47}$/, 'must be lowercase letters, digits, _ or -, starting with a letter');

/** A JSON-logic condition (see expression.ts); `true`/`false` literals allowed. */
const condition = z.unknown();

/** What one unit of work does: run an agent on a task, or call a tool with arguments. */
const actionSchema = z.union([
  z
    .object({
      agent: z.string().min(1).describe('Agent name from the manifests.'),
      task: z
        .string()
        .min(1)
        .describe('The task; ${{ path }} inserts input, earlier outputs, item or iteration.'),
    })
    .strict(),
  z
    .object({
      tool: z.string().min(1).describe('Tool name.'),
      args: z.record(z.string(), z.unknown()).default({}).describe('Arguments; strings may use ${{ path }}.'),
    })
    .strict(),
]);
export type Action = z.infer<typeof actionSchema>;

const common = {
  id: stepId,
  description: z.string().optional(),
  needs: z.array(stepId).default([]).describe('Steps that must finish first.'),
  /** Only run when this condition holds; otherwise the step is skipped. */
  when: condition.optional(),
  retries: z.number().int().min(0).max(20).default(2).describe('Extra attempts after a failure.'),
  timeoutSeconds: z.number().positive().optional(),
  /** Side effects of the step's tools are recorded against this key; default: the run, step and item. */
  idempotencyKey: z.string().min(1).optional(),
};

export const stepSchema = z.union([
  z.object({ ...common, agent: z.string().min(1), task: z.string().min(1) }).strict(),
  z
    .object({ ...common, tool: z.string().min(1), args: z.record(z.string(), z.unknown()).default({}) })
    .strict(),
  z
    .object({
      ...common,
      branch: z
        .object({
          if: condition,
          // biome-ignore lint/suspicious/noThenProperty: a YAML field holding a list of step ids, never a function
          then: z.array(stepId).default([]),
          else: z.array(stepId).default([]),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      ...common,
      foreach: z
        .string()
        .min(1)
        .describe('Path to a list in the input or an earlier output; one run per item.'),
      do: actionSchema,
    })
    .strict(),
  z
    .object({
      ...common,
      loop: z
        .object({
          max: z.number().int().positive().max(1000).describe('Upper bound on iterations.'),
          until: condition.describe('Stop once this holds; `last` is the previous iteration output.'),
          do: actionSchema,
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      ...common,
      approval: z.object({ message: z.string().min(1) }).strict(),
    })
    .strict(),
]);
export type StepDefinition = z.infer<typeof stepSchema>;

export const workflowSchema = z
  .object({
    name: stepId,
    description: z.string().optional(),
    /** Default input values; `swarm workflow run --input` overrides them. */
    input: z.record(z.string(), z.unknown()).default({}),
    steps: z.array(stepSchema).min(1),
  })
  .strict();
export type WorkflowDefinition = z.infer<typeof workflowSchema>;

export type StepKind = 'agent' | 'tool' | 'branch' | 'foreach' | 'loop' | 'approval';

export function stepKind(step: StepDefinition): StepKind {
  if ('agent' in step) return 'agent';
  if ('tool' in step) return 'tool';
  if ('branch' in step) return 'branch';
  if ('foreach' in step) return 'foreach';
  if ('loop' in step) return 'loop';
  return 'approval';
}
