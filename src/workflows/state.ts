import type { Json, KvStore } from '../engine/backend.js';
import {
  type ItemCheckpoint,
  parseItem,
  parseRun,
  parseStep,
  type RunRecord,
  type StepCheckpoint,
} from './checkpoint.js';
import { type WorkflowDefinition, workflowSchema } from './definition.js';
import { EffectInProgressError, WorkflowRunNotFoundError } from './errors.js';

const MAX_CAS_ATTEMPTS = 50;

/**
 * Durable workflow state in the engine's key-value store. Every change is a
 * compare-and-set, so two workers that finish the same redelivered step, or
 * race to advance a run, cannot overwrite each other: one wins, the other
 * sees the winner's state.
 */
export class WorkflowState {
  /** `claimMs`: how long a claimed side effect blocks other deliveries; one step lease. */
  constructor(
    readonly kv: KvStore,
    private readonly claimMs = 30_000,
  ) {}

  /** Stores the definition, then the run record; false if the run already exists. */
  async createRun(runId: string, record: RunRecord, workflow: WorkflowDefinition): Promise<boolean> {
    await this.kv.create(`def.${runId}`, workflow as unknown as Json);
    return (await this.kv.create(`run.${runId}`, record as unknown as Json)) !== undefined;
  }

  /** The definition a run was started with (v1 runs kept it inside their record). */
  async getWorkflow(runId: string): Promise<WorkflowDefinition> {
    const entry = await this.kv.get(`def.${runId}`);
    if (entry) return workflowSchema.parse(entry.value);
    const run = await this.getRun(runId);
    return workflowSchema.parse(run.workflow);
  }

  async getRun(runId: string): Promise<RunRecord> {
    const entry = await this.kv.get(`run.${runId}`);
    if (!entry) throw new WorkflowRunNotFoundError(runId);
    return parseRun(entry.value);
  }

  async runIds(): Promise<string[]> {
    return (await this.kv.keys('run.')).map((k) => k.slice('run.'.length));
  }

  /** Applies `change` until it lands; `change` returns undefined to leave the record as it is. */
  async updateRun(runId: string, change: (run: RunRecord) => RunRecord | undefined): Promise<RunRecord> {
    return this.cas(`run.${runId}`, (raw) => {
      if (raw === undefined) throw new WorkflowRunNotFoundError(runId);
      return change(parseRun(raw));
    }) as Promise<RunRecord>;
  }

  async steps(runId: string): Promise<Map<string, StepCheckpoint>> {
    const prefix = `step.${runId}.`;
    const out = new Map<string, StepCheckpoint>();
    for (const key of await this.kv.keys(prefix)) {
      const entry = await this.kv.get(key);
      if (entry) out.set(key.slice(prefix.length), parseStep(entry.value));
    }
    return out;
  }

  /** The checkpoints of the given steps only (absent ones are left out). */
  async someSteps(runId: string, stepIds: Iterable<string>): Promise<Map<string, StepCheckpoint>> {
    const out = new Map<string, StepCheckpoint>();
    for (const id of stepIds) {
      const cp = await this.getStep(runId, id);
      if (cp) out.set(id, cp);
    }
    return out;
  }

  async getStep(runId: string, stepId: string): Promise<StepCheckpoint | undefined> {
    const entry = await this.kv.get(`step.${runId}.${stepId}`);
    return entry ? parseStep(entry.value) : undefined;
  }

  /** Moves a step from its current checkpoint to `change(current)`; returns what is stored afterwards. */
  async transitionStep(
    runId: string,
    stepId: string,
    change: (current: StepCheckpoint | undefined) => StepCheckpoint | undefined,
  ): Promise<{ checkpoint: StepCheckpoint | undefined; changed: boolean }> {
    let changed = false;
    const stored = await this.cas(`step.${runId}.${stepId}`, (raw) => {
      const next = change(raw === undefined ? undefined : parseStep(raw));
      changed = next !== undefined;
      return next;
    });
    return { checkpoint: stored === undefined ? undefined : parseStep(stored), changed };
  }

  /** Records one foreach item's output; the first write wins. */
  async putItem(runId: string, stepId: string, index: number, output: unknown): Promise<void> {
    const item: ItemCheckpoint = { v: 1, output, updatedAt: Date.now() };
    await this.kv.create(`item.${runId}.${stepId}.${index}`, item as unknown as Json);
  }

  async hasItem(runId: string, stepId: string, index: number): Promise<boolean> {
    return (await this.kv.get(`item.${runId}.${stepId}.${index}`)) !== undefined;
  }

  async items(runId: string, stepId: string): Promise<Map<number, ItemCheckpoint>> {
    const prefix = `item.${runId}.${stepId}.`;
    const out = new Map<number, ItemCheckpoint>();
    for (const key of await this.kv.keys(prefix)) {
      const entry = await this.kv.get(key);
      if (entry) out.set(Number(key.slice(prefix.length)), parseItem(entry.value));
    }
    return out;
  }

  /**
   * Runs a side effect once per idempotency key and run and records its
   * result: a redelivered step gets the recorded result instead of acting
   * again. The key is claimed (with a TTL of one lease) before the effect
   * runs, so two deliveries of one step running at once (a lease lost to a
   * stalled heartbeat) cannot both act: the second gets EffectInProgressError
   * and is retried after the first has recorded its result. A worker killed
   * between the effect and its record repeats the effect once its claim
   * expires, so effects outside the engine should themselves be idempotent.
   */
  async once<T>(runId: string, key: string, effect: () => Promise<T>): Promise<T> {
    const storeKey = `effect.${runId}.${key}`;
    const claimed = await this.kv.create(storeKey, { pending: true }, { ttlMs: this.claimMs });
    if (claimed === undefined) {
      const existing = await this.kv.get(storeKey);
      if (existing && 'result' in (existing.value as object)) return (existing.value as { result: T }).result;
      throw new EffectInProgressError(storeKey);
    }
    let result: T;
    try {
      result = await effect();
    } catch (error) {
      await this.kv.delete(storeKey, { revision: claimed });
      throw error;
    }
    await this.kv.put(storeKey, { result: (result ?? null) as Json });
    return result;
  }

  private async cas(key: string, change: (raw: unknown) => unknown): Promise<unknown> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const entry = await this.kv.get(key);
      const next = change(entry?.value);
      if (next === undefined) return entry?.value;
      const written = entry
        ? await this.kv.update(key, next as Json, entry.revision)
        : await this.kv.create(key, next as Json);
      if (written !== undefined) return next;
    }
    throw new Error(`state key ${key} kept changing under ${MAX_CAS_ATTEMPTS} attempts to update it`);
  }
}
