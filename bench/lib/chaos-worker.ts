/**
 * A queue worker process for the chaos benchmark:
 *   node --import tsx bench/lib/chaos-worker.ts <nats-url> <queue> <bucket> <effects-file>
 * Each task's side effect (a line appended to the effects file) goes through
 * the effect ledger, as workflow steps' effects do.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { openBackend } from '../../src/engine/open-backend.js';
import { Worker } from '../../src/engine/worker.js';
import { WorkflowState } from '../../src/workflows/state.js';

const [url, queueName, bucket, effectsFile] = process.argv.slice(2) as [string, string, string, string];
const backend = await openBackend(url);
const queue = await backend.queue(queueName, { leaseMs: 2000, maxDeliveries: 50 });
const ledger = new WorkflowState(await backend.kv(bucket), 2000);
const worker = new Worker({
  queue,
  concurrency: 4,
  claimWaitMs: 200,
  retryDelayMs: () => 100,
  handler: async (task) => {
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    // two effects per task, both through the ledger: a plain append, and one that first checks
    // whether this key's line is already there (an idempotent effect)
    await ledger.once('chaos', task.id, async () => {
      appendFileSync(effectsFile, `${task.id} ${process.pid}\n`);
      const checked = `${effectsFile}.idempotent`;
      if (!(existsSync(checked) && readFileSync(checked, 'utf8').includes(`${task.id}\n`))) {
        appendFileSync(checked, `${task.id}\n`);
      }
      return true;
    });
  },
});
worker.start();
process.stdout.write('ready\n');
