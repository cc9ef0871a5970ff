import { z } from 'zod';

/**
 * Stored state carries a schema version. Readers accept every version ever
 * written and upgrade it on read; a test loads committed fixtures of each
 * version (test/fixtures/checkpoints/) so old runs stay resumable.
 */
export const CHECKPOINT_VERSION = 2;

export const STEP_STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

const stepV1 = z.object({
  v: z.literal(1),
  status: z.enum(STEP_STATUSES),
  output: z.unknown().optional(),
  error: z.string().optional(),
  attempts: z.number().int().nonnegative(),
  /** foreach: how many items; loop: iterations done. */
  total: z.number().int().nonnegative().optional(),
  /** foreach: the items finished so far. */
  doneItems: z.array(z.number().int().nonnegative()).optional(),
  reason: z.string().optional(),
  updatedAt: z.number(),
});
export type StepCheckpoint = z.infer<typeof stepV1>;

const itemV1 = z.object({
  v: z.literal(1),
  output: z.unknown().optional(),
  updatedAt: z.number(),
});
export type ItemCheckpoint = z.infer<typeof itemV1>;

export const RUN_STATUSES = ['running', 'waiting', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * v1 embedded the whole definition in the run record, which every step read;
 * v2 keeps it under its own key (`def.<run>`) and only the name here.
 */
const runV1V2 = z.object({
  v: z.union([z.literal(1), z.literal(2)]),
  name: z.string().optional(),
  workflow: z.record(z.string(), z.unknown()).optional(),
  input: z.record(z.string(), z.unknown()),
  status: z.enum(RUN_STATUSES),
  tenantId: z.string(),
  /** The lineage root every step's agents hang under, in whichever process they run. */
  rootNodeId: z.string(),
  budget: z.object({ tokens: z.number().optional(), usd: z.number().optional() }),
  spent: z.object({ tokens: z.number(), usd: z.number() }),
  createdAt: z.number(),
  updatedAt: z.number(),
  error: z.string().optional(),
  /** The run's trace (`traceparent`, `tracestate`) when it was traced: a resume in a new process joins it. */
  trace: z.record(z.string(), z.string()).optional(),
});
export type RunRecord = z.infer<typeof runV1V2> & { name: string };

/** Each parser takes any stored version and returns the current shape. */
export const parseStep = (raw: unknown): StepCheckpoint => stepV1.parse(raw);
export const parseItem = (raw: unknown): ItemCheckpoint => itemV1.parse(raw);
export const parseRun = (raw: unknown): RunRecord => {
  const run = runV1V2.parse(raw);
  return {
    ...run,
    name: run.name ?? String((run.workflow as { name?: unknown } | undefined)?.name ?? 'unnamed'),
  };
};

export function isTerminal(status: StepStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'skipped';
}
