import { resolve } from 'node:path';
import pc from 'picocolors';
import { Scheduler } from '../../engine/scheduler.js';
import { WORKERS_BUCKET, WorkerRegistry } from '../../engine/worker-registry.js';
import { loadWorkflowFile } from '../../workflows/load.js';
import { type EngineCommandOptions, openEngineContext } from './engine-context.js';

/**
 * `swarm worker`: joins the engine, runs workflow steps, and takes part in
 * the scheduler election (cron triggers, repair of stalled runs). SIGTERM or
 * Ctrl-C stops claiming, lets running steps finish (up to --grace) and hands
 * the rest back.
 */
export async function worker(
  opts: EngineCommandOptions & { concurrency: number; grace: number; scheduler: boolean },
) {
  const ctx = await openEngineContext(opts);
  const { redactor } = ctx.observability;
  const log = (line: string) =>
    process.stderr.write(`${pc.dim(new Date().toISOString())} ${redactor.text(line)}\n`);
  const kv = await ctx.backend.kv('scheduler');
  const triggers = ctx.config.triggers.map((t) => ({
    name: t.name,
    cron: t.cron,
    fire: async (at: Date) => {
      const runId = await ctx.engine.start(loadWorkflowFile(resolve(ctx.config.root, t.workflow)), {
        input: t.input,
        tenantId: ctx.config.tenant,
      });
      log(`trigger ${t.name} (${at.toISOString()}) started ${runId}`);
    },
  }));
  const scheduler = opts.scheduler
    ? new Scheduler({
        kv,
        node: ctx.node,
        triggers,
        sweep: async () => {
          for (const runId of await ctx.engine.state.runIds()) {
            const run = await ctx.engine.state.getRun(runId);
            if (run.status === 'running') await ctx.engine.advance(runId);
          }
        },
        onLeadership: (leader) =>
          log(leader ? 'this node is now the scheduler' : 'this node is no longer the scheduler'),
        onError: (error) => log(pc.red(`scheduler: ${error instanceof Error ? error.message : error}`)),
      }).start()
    : undefined;
  ctx.runtime.events.subscribe((e) => {
    if (e.type === 'step.started') log(`${e.runId} ▸ ${e.data.stepId} (attempt ${e.data.attempt})`);
    if (e.type === 'step.finished')
      log(`${e.runId} ${e.data.status} ${e.data.stepId}${e.data.error ? `: ${e.data.error}` : ''}`);
    if (e.type === 'run.finished') log(`${e.runId} run ${e.data.outcome}`);
  });
  const w = ctx.engine.worker(opts.concurrency).start();
  const announced = new WorkerRegistry(await ctx.backend.kv(WORKERS_BUCKET)).announce(ctx.node, w);
  log(
    `worker ${ctx.node} on ${ctx.backend.location}: ${opts.concurrency} at a time; Ctrl-C or SIGTERM to stop`,
  );
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  log(`stopping: finishing ${w.inFlight} running step(s), up to ${opts.grace}s`);
  await w.stop(opts.grace * 1000);
  await announced.stop();
  await scheduler?.stop();
  await ctx.close();
  log('stopped');
  return 0;
}
