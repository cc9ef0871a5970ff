/**
 * A workflow worker in its own process, for tests that kill it with SIGKILL.
 *   node --import tsx test/support/workflow-worker-process.ts <engine-url> <dir>
 * It offers one tool, `slow_effect`, which marks that it started, waits, and
 * appends a line to a file through the step's effect ledger.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { createRuntime } from '../../src/agents/runtime.js';
import { configSchema } from '../../src/core/config.js';
import { openBackend } from '../../src/engine/open-backend.js';
import { defineTool } from '../../src/tools/tool.js';
import { WorkflowEngine } from '../../src/workflows/engine.js';
import { runtimeStepRunner } from '../../src/workflows/runtime-step-runner.js';

const [engineUrl, dir] = process.argv.slice(2) as [string, string];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const slowEffect = defineTool({
  name: 'slow_effect',
  description: 'waits, and appends a line to a file once per step',
  input: z.object({
    file: z.string(),
    line: z.string(),
    waitMs: z.number(),
    waitAfter: z.boolean().default(false),
  }),
  sideEffects: true,
  async execute({ file, line, waitMs, waitAfter }, call) {
    appendFileSync(join(dir, 'started.log'), `${line} ${process.pid}\n`);
    if (!waitAfter) await sleep(waitMs);
    const append = async () => {
      appendFileSync(join(dir, file), `${line}\n`);
      return line;
    };
    const result = call.effects ? await call.effects.once('append', append) : await append();
    if (waitAfter) await sleep(waitMs);
    return result;
  },
});

mkdirSync(join(dir, 'agents'), { recursive: true });
const config = {
  ...configSchema.parse({}),
  store: join(dir, 'store.db'),
  agents: join(dir, 'agents'),
  workspace: dir,
  file: undefined,
  root: dir,
};
const runtime = createRuntime({ config, extraTools: [slowEffect] });
const backend = await openBackend(engineUrl, { cwd: dir });
const engine = await WorkflowEngine.open(backend, runtimeStepRunner(runtime), { leaseMs: 1000 });
const worker = engine.worker(2).start();
process.stdout.write('ready\n');
process.on('SIGTERM', async () => {
  await worker.stop(5000);
  runtime.close();
  await backend.close();
  process.exit(0);
});
