import pc from 'picocolors';
import type { AnyEvent } from '../../core/events.js';
import type { SecretRedactor } from '../../observe/redact.js';
import type { RunRecord, StepCheckpoint } from '../../workflows/checkpoint.js';
import type { WorkflowDefinition } from '../../workflows/definition.js';
import { loadWorkflowFile } from '../../workflows/load.js';
import { InvalidInputError } from '../errors.js';
import { oneLine, printJson } from '../format.js';
import { type EngineCommandOptions, type EngineContext, openEngineContext } from './engine-context.js';

interface RunOptions extends EngineCommandOptions {
  input?: string[];
  inputJson?: string;
  workers: number;
  detach?: boolean;
  json?: boolean;
}

export async function workflowRun(file: string, opts: RunOptions): Promise<number> {
  const workflow = loadWorkflowFile(file);
  const input = parseInput(opts);
  const ctx = await openEngineContext(opts);
  try {
    const budget = ctx.config.budget;
    const runId = await ctx.engine.start(workflow, { input, tenantId: ctx.config.tenant, budget });
    if (opts.detach) {
      if (opts.json) printJson({ runId, status: 'running' });
      else process.stdout.write(`${runId}\n`);
      return 0;
    }
    if (!opts.json) process.stderr.write(`${pc.bold(`workflow ${workflow.name}`)} ${runId}\n`);
    return await drive(ctx, runId, opts);
  } finally {
    await ctx.close();
  }
}

export async function workflowResume(runId: string, opts: RunOptions): Promise<number> {
  const ctx = await openEngineContext(opts);
  try {
    const run = await ctx.engine.advance(runId);
    if (!opts.json) process.stderr.write(`resuming ${runId} (${run.status})\n`);
    return await drive(ctx, runId, opts);
  } finally {
    await ctx.close();
  }
}

export async function workflowApprove(
  runId: string,
  stepId: string,
  opts: EngineCommandOptions & { reject?: boolean; note?: string; by?: string; json?: boolean },
): Promise<number> {
  const ctx = await openEngineContext(opts);
  try {
    const run = await ctx.engine.approve(runId, stepId, {
      approved: !opts.reject,
      ...(opts.by ? { by: opts.by } : {}),
      ...(opts.note ? { note: opts.note } : {}),
    });
    if (opts.json) printJson({ runId, stepId, approved: !opts.reject, status: run.status });
    else {
      process.stdout.write(
        `${opts.reject ? 'rejected' : 'approved'} ${stepId}; run ${runId} is ${run.status}\n`,
      );
      if (run.status === 'running')
        process.stdout.write(pc.dim(`continue it with: swarm workflow resume ${runId}\n`));
    }
    return 0;
  } finally {
    await ctx.close();
  }
}

export async function workflowShow(
  runId: string,
  opts: EngineCommandOptions & { json?: boolean },
): Promise<number> {
  const ctx = await openEngineContext(opts);
  try {
    const { run, steps } = await ctx.engine.status(runId);
    if (opts.json) printJson({ runId, ...run, steps: Object.fromEntries(steps) });
    else printSteps(runId, run, await ctx.engine.definition(runId), steps, ctx.observability.redactor);
    return 0;
  } finally {
    await ctx.close();
  }
}

/** Runs a worker in this process until the run settles, printing each step as it moves. */
async function drive(ctx: EngineContext, runId: string, opts: RunOptions): Promise<number> {
  const { redactor } = ctx.observability;
  const unsubscribe = opts.json
    ? () => {}
    : ctx.runtime.events.subscribe((e) => progress(e, runId, redactor));
  const worker = ctx.engine.worker(opts.workers).start();
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  try {
    const run = await ctx.engine.settled(runId, controller.signal);
    await worker.stop(controller.signal.aborted ? 2_000 : 10_000);
    const { steps } = await ctx.engine.status(runId);
    ctx.runtime.store.flush();
    if (opts.json)
      printJson({ runId, status: run.status, error: run.error, steps: Object.fromEntries(steps) });
    else printSteps(runId, run, await ctx.engine.definition(runId), steps, ctx.observability.redactor);
    if (controller.signal.aborted) {
      process.stderr.write(pc.yellow(`interrupted; the run is kept: swarm workflow resume ${runId}\n`));
      return 130;
    }
    return run.status === 'failed' ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    unsubscribe();
  }
}

function progress(event: AnyEvent, runId: string, redactor: SecretRedactor): void {
  if (event.runId !== runId) return;
  if (event.type === 'step.started') {
    const which =
      event.data.item !== undefined
        ? ` item ${event.data.item}`
        : event.data.iteration !== undefined
          ? ` iteration ${event.data.iteration}`
          : '';
    process.stderr.write(
      `${pc.cyan('▸')} ${event.data.stepId}${which} ${pc.dim(`(${event.data.kind}, attempt ${event.data.attempt})`)}\n`,
    );
  } else if (event.type === 'step.finished') {
    const { stepId, status } = event.data;
    const line =
      status === 'succeeded'
        ? `${pc.green('✓')} ${stepId}`
        : status === 'failed'
          ? `${pc.red('✗')} ${stepId}: ${oneLine(redactor.text(event.data.error ?? ''), 120)}`
          : status === 'skipped'
            ? `${pc.dim('–')} ${stepId} skipped: ${event.data.reason ?? ''}`
            : `${pc.yellow('⏸')} ${stepId} waits for approval: swarm workflow approve ${runId} ${stepId}`;
    process.stderr.write(`${line}\n`);
  }
}

function printSteps(
  runId: string,
  run: RunRecord,
  workflow: WorkflowDefinition,
  steps: ReadonlyMap<string, StepCheckpoint>,
  redactor: SecretRedactor,
): void {
  process.stdout.write(
    `${pc.bold(runId)} workflow ${workflow.name} ${run.status}${run.error ? `: ${redactor.text(run.error)}` : ''}\n`,
  );
  for (const { id } of workflow.steps) {
    const cp = steps.get(id);
    const detail =
      cp?.error ?? cp?.reason ?? (cp?.output === undefined ? '' : oneLine(JSON.stringify(cp.output), 80));
    process.stdout.write(
      `  ${id.padEnd(20)} ${(cp?.status ?? 'pending').padEnd(10)} ${pc.dim(redactor.text(detail))}\n`,
    );
  }
}

function parseInput(opts: RunOptions): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (opts.inputJson) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(opts.inputJson);
    } catch (error) {
      throw new InvalidInputError(`--input-json is not valid JSON: ${(error as Error).message}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new InvalidInputError('--input-json must be a JSON object');
    Object.assign(input, parsed);
  }
  for (const pair of opts.input ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InvalidInputError(`--input "${pair}" must be key=value`);
    input[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return input;
}
