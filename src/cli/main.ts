import { Command, Option } from 'commander';
import { runAction } from './action.js';
import { countFromOne, nonNegativeNumber, port } from './option-parsers.js';
import { registerAudit } from './register-audit.js';
import { registerImprove } from './register-improve.js';
import { registerMcp } from './register-mcp.js';
import { registerResearch } from './register-research.js';
import { registerServe } from './register-serve.js';

/**
 * The `swarm` command. Only commander is loaded up front; each command's
 * module (and through it the AI SDK, SQLite, the simulator) is imported when
 * that command runs, so `swarm --help` stays fast.
 */
const program = new Command('swarm')
  .description('Swarm: an agent-swarm runtime that improves software repositories on its own.')
  .version('0.1.0')
  .option('-c, --config <file>', 'config file (default: ./swarm.config.yaml, or $SWARM_CONFIG)')
  .showHelpAfterError('(add --help for usage and examples)')
  .addHelpText(
    'after',
    `
Examples:
  $ swarm improve ../app --dry-run              plan improvements to a git repository (no model needed)
  $ swarm demo                                  run the example agents against the simulator
  $ swarm run planner "Add a --verbose flag"     run an agent on a task
  $ swarm runs show <run-id>                    the lineage tree of a run
  $ swarm doctor                                check config, store and model endpoints`,
  );

const globals = () => program.opts<{ config?: string }>();

program
  .command('run')
  .description('run an agent on a task, streaming its answer')
  .argument('<agent>', 'agent name (see `swarm agents list`)')
  .argument('<task>', 'the task, in words')
  .option('-m, --model <ref>', 'override the agent model (provider:model or an alias)')
  .option('--budget-usd <n>', 'stop before spending more than this many dollars', nonNegativeNumber)
  .option('--budget-tokens <n>', 'stop before using more than this many tokens', nonNegativeNumber)
  .option('--max-depth <n>', 'deepest delegation allowed (default 8)', nonNegativeNumber)
  .option('--timeout <seconds>', 'cancel the run after this long', nonNegativeNumber)
  .option('--store <file>', 'SQLite store (default .swarm/swarm.db)')
  .option('--agents <dir>', 'manifest directory (default ./agents)')
  .option('--json', 'print one JSON object with the outcome instead of streaming')
  .addHelpText('after', '\nExample:\n  $ swarm run planner "Write a haiku about queues" --budget-usd 0.05')
  .action((agent: string, task: string, opts) =>
    runAction(async () =>
      (await import('./commands/run.js')).runCommand({ ...globals(), ...opts, agent, task }),
    ),
  );

const agents = program.command('agents').description('list, validate and describe agent manifests');
agents
  .command('list')
  .description('list the agents defined in the manifest directory')
  .option('--agents <dir>', 'manifest directory (default ./agents)')
  .option('--json', 'machine-readable output')
  .addHelpText('after', '\nExample:\n  $ swarm agents list --agents examples/agents')
  .action((opts) =>
    runAction(async () => (await import('./commands/agents.js')).listAgents({ ...globals(), ...opts })),
  );
agents
  .command('validate')
  .description('check manifests: fields, references between agents, tools, output schemas')
  .argument('[files...]', 'manifest files (default: every manifest in the agents directory)')
  .option('--agents <dir>', 'manifest directory (default ./agents)')
  .option('--json', 'machine-readable output')
  .addHelpText('after', '\nExample:\n  $ swarm agents validate agents/planner.yaml agents/coder.yaml')
  .action((files: string[], opts) =>
    runAction(async () =>
      (await import('./commands/agents.js')).validateAgents({ ...globals(), ...opts, files }),
    ),
  );
agents
  .command('schema')
  .description('print the JSON Schema of agent manifests, for editors')
  .option('-o, --out <file>', 'write it to a file instead of stdout')
  .addHelpText('after', '\nExample:\n  $ swarm agents schema -o .vscode/swarm-agent.schema.json')
  .action((opts) => runAction(async () => (await import('./commands/agents.js')).printSchema(opts)));

const runs = program.command('runs').description('inspect recorded runs');
runs
  .command('list')
  .description('recent runs, newest first')
  .option('--store <file>', 'SQLite store (default .swarm/swarm.db)')
  .option('-n, --limit <n>', 'how many', nonNegativeNumber, 20)
  .addOption(
    new Option('--status <status>', 'only runs with this status').choices([
      'running',
      'succeeded',
      'failed',
      'cancelled',
    ]),
  )
  .option('--json', 'machine-readable output')
  .addHelpText('after', '\nExample:\n  $ swarm runs list --status failed --json')
  .action((opts) =>
    runAction(async () => (await import('./commands/runs.js')).listRuns({ ...globals(), ...opts })),
  );
runs
  .command('show')
  .description("a run's lineage tree with each node's tokens, cost, time and outcome")
  .argument('<run-id>', 'run id (a unique prefix is enough)')
  .option('--store <file>', 'SQLite store (default .swarm/swarm.db)')
  .option('--events', 'also list the event log')
  .option('--json', 'machine-readable output')
  .addHelpText('after', '\nExample:\n  $ swarm runs show run_0kq3 --events')
  .action((id: string, opts) =>
    runAction(async () => (await import('./commands/runs.js')).showRun({ ...globals(), ...opts, id })),
  );

program
  .command('doctor')
  .description('check the config, the store, the agents and every configured model endpoint')
  .option('--json', 'machine-readable output')
  .addHelpText('after', '\nExample:\n  $ swarm doctor --json')
  .action((opts) =>
    runAction(async () => (await import('./commands/doctor.js')).doctor({ ...globals(), ...opts })),
  );

program
  .command('sim')
  .description('start the OpenAI-compatible model server simulator (scripted replies, for tests and demos)')
  .option('-s, --scenario <file>', 'scenario file (YAML or JSON); default: echo the last user message')
  .option('-p, --port <n>', 'port (0 picks a free one)', port, 8787)
  .option('--host <host>', 'interface to bind', '127.0.0.1')
  .option('--allow-remote', 'allow binding to a non-loopback interface')
  .option('--api-key <key>', 'require this bearer key')
  .addOption(new Option('--metrics-style <style>', 'vLLM metric names').choices(['v1', 'v0']).default('v1'))
  .addHelpText('after', '\nExample:\n  $ swarm sim --scenario examples/scenarios/demo.yaml --port 8787')
  .action((opts) => runAction(async () => (await import('./commands/sim.js')).sim(opts)));

program
  .command('demo')
  .description('run the example planner, coder and reviewer against the simulator (replies are scripted)')
  .option('--json', 'print one JSON object with the outcome instead of streaming')
  .addHelpText('after', '\nExample:\n  $ swarm demo')
  .action((opts) =>
    runAction(async () => (await import('./commands/demo.js')).demo({ ...globals(), ...opts })),
  );

const workflow = program
  .command('workflow')
  .description('run durable workflows (DAGs of agent and tool steps)');
const engineOptions = (cmd: Command) =>
  cmd
    .option('--engine <url>', 'sqlite:<path> (default sqlite:.swarm/swarm.db) or nats://host:4222')
    .option('--store <file>', 'SQLite run store (default .swarm/swarm.db)')
    .option('--agents <dir>', 'manifest directory (default ./agents)');
engineOptions(
  workflow
    .command('run')
    .description('start a workflow and run it here until it finishes or waits for approval')
    .argument('<file>', 'workflow file (YAML or JSON)')
    .option('-i, --input <key=value...>', 'input values (repeatable)')
    .option('--input-json <json>', 'input as a JSON object')
    .option('-w, --workers <n>', 'steps run at once in this process', countFromOne, 4)
    .option('--detach', 'only start it: workers elsewhere run the steps (prints the run id)')
    .option('--json', 'machine-readable output'),
)
  .addHelpText(
    'after',
    '\nExample:\n  $ swarm workflow run examples/workflows/review.yaml -i request="add a --verbose flag"',
  )
  .action((file: string, opts) =>
    runAction(async () =>
      (await import('./commands/workflow.js')).workflowRun(file, { ...globals(), ...opts }),
    ),
  );
engineOptions(
  workflow
    .command('resume')
    .description('continue a run from its last checkpoints (after a crash or Ctrl-C)')
    .argument('<run-id>', 'the run to continue')
    .option('-w, --workers <n>', 'steps run at once in this process', countFromOne, 4)
    .option('--json', 'machine-readable output'),
)
  .addHelpText('after', '\nExample:\n  $ swarm workflow resume run_0kq3ab12cd')
  .action((runId: string, opts) =>
    runAction(async () =>
      (await import('./commands/workflow.js')).workflowResume(runId, { ...globals(), ...opts }),
    ),
  );
engineOptions(
  workflow
    .command('approve')
    .description('approve (or --reject) a step waiting for a person')
    .argument('<run-id>', 'the run')
    .argument('<step>', 'the waiting step')
    .option('--reject', 'reject instead: the run fails')
    .option('--by <name>', 'who decided (recorded)')
    .option('--note <text>', 'why (recorded)')
    .option('--json', 'machine-readable output'),
)
  .addHelpText('after', '\nExample:\n  $ swarm workflow approve run_0kq3ab12cd ship --by ana')
  .action((runId: string, step: string, opts) =>
    runAction(async () =>
      (await import('./commands/workflow.js')).workflowApprove(runId, step, { ...globals(), ...opts }),
    ),
  );
engineOptions(
  workflow
    .command('show')
    .description("a run's steps and their states, from the engine")
    .argument('<run-id>', 'the run')
    .option('--json', 'machine-readable output'),
)
  .addHelpText('after', '\nExample:\n  $ swarm workflow show run_0kq3ab12cd --json')
  .action((runId: string, opts) =>
    runAction(async () =>
      (await import('./commands/workflow.js')).workflowShow(runId, { ...globals(), ...opts }),
    ),
  );

engineOptions(
  program
    .command('worker')
    .description('join the engine: run workflow steps, and take part in the scheduler election')
    .option('-n, --concurrency <n>', 'steps run at once', countFromOne, 4)
    .option('--grace <seconds>', 'on SIGTERM, how long running steps may finish', nonNegativeNumber, 30)
    .option('--no-scheduler', 'never act as the scheduler (cron triggers, stalled-run repair)'),
)
  .addHelpText('after', '\nExample:\n  $ swarm worker --engine nats://127.0.0.1:4222 --concurrency 8')
  .action((opts) =>
    runAction(async () => (await import('./commands/worker.js')).worker({ ...globals(), ...opts })),
  );

program
  .command('gateway')
  .description('serve an OpenAI-compatible endpoint that balances a fleet of model servers')
  .option('-p, --port <n>', 'port (overrides listen.port; 0 picks a free one)', port)
  .option('--host <host>', 'interface to bind (overrides listen.host)')
  .option('--events', 'print one JSON line per request: backend, routing reason, usage, cost')
  .option(
    '--store <file>',
    'SQLite store recording each request as a gateway.request event (default .swarm/swarm.db)',
  )
  .option('--new-key <id>', 'print a new virtual API key and its hashed config entry, then exit')
  .addHelpText('after', '\nExample:\n  $ swarm gateway --config gateway.yaml')
  .action((opts) =>
    runAction(async () => (await import('./commands/gateway.js')).gateway({ ...globals(), ...opts })),
  );

registerServe(program, globals);
registerAudit(program, globals);
registerMcp(program, globals);
registerResearch(program, globals);
registerImprove(program, globals);

const memory = program
  .command('memory')
  .description('index files and documents, and search them by words and by meaning (no model needed)');
memory
  .command('ingest')
  .description(
    'chunk and index files and directories; unchanged files are skipped, an interrupted ingest resumes',
  )
  .argument('<paths...>', 'files and directories to ingest')
  .option('--dir <dir>', 'memory directory (default: memory.dir of the config, .swarm/memory)')
  .option('--source <name>', 'collection name to filter on later (default files)')
  .option('--tenant <id>', 'tenant the chunks belong to (default: tenant in the config)')
  .option(
    '--embed <embedder>',
    'hashed (default), hashed:<dims>, or <provider>:<model> for an embeddings endpoint',
  )
  .option('--reembed', 'replace the vectors of a memory made with another embedder')
  .option('--prune', 'also forget files that are gone from the given directories')
  .option('--max-tokens <n>', 'largest chunk in tokens (default 512)', nonNegativeNumber)
  .option(
    '--overlap <n>',
    'tokens a text chunk repeats from the previous one (default 64)',
    nonNegativeNumber,
  )
  .option(
    '--segment-chunks <n>',
    'chunks per segment written during ingest (default 8192)',
    nonNegativeNumber,
  )
  .option('--no-wait', 'return without waiting for background merges and embeddings')
  .option('--json', 'print the ingest report as JSON')
  .addHelpText('after', '\nExample:\n  $ swarm memory ingest src docs README.md --source repo')
  .action((paths: string[], opts) =>
    runAction(async () =>
      (await import('./commands/memory.js')).memoryIngest({ ...globals(), ...opts, paths }),
    ),
  );
memory
  .command('search')
  .description('search the memory: BM25, vector, or both fused (hybrid)')
  .argument('<query>', 'what to look for')
  .option('-k, --k <n>', 'how many results (default 10)', nonNegativeNumber)
  .addOption(
    new Option('--mode <mode>', 'search path').choices(['hybrid', 'bm25', 'vector']).default('hybrid'),
  )
  .option('--path <glob>', 'only files matching the glob, e.g. "src/**/*.ts" or "*.md"')
  .addOption(new Option('--kind <kind>', 'only this kind of document').choices(['code', 'markdown', 'text']))
  .option('--source <name>', 'only this collection')
  .option('--tenant <id>', 'only this tenant')
  .option('--dir <dir>', 'memory directory (default: memory.dir of the config, .swarm/memory)')
  .option('--json', 'machine-readable output')
  .addHelpText(
    'after',
    '\nExample:\n  $ swarm memory search "retry after backoff" --k 5 --path "src/**/*.ts"',
  )
  .action((query: string, opts) =>
    runAction(async () =>
      (await import('./commands/memory.js')).memorySearch({ ...globals(), ...opts, query }),
    ),
  );
memory
  .command('pack')
  .description('the most relevant passages for a query, packed within a token budget for a prompt')
  .argument('<query>', 'what the context is for')
  .option('--budget <tokens>', 'most tokens of context (default 4000)', nonNegativeNumber)
  .addOption(
    new Option('--mode <mode>', 'search path').choices(['hybrid', 'bm25', 'vector']).default('hybrid'),
  )
  .option('--path <glob>', 'only files matching the glob')
  .addOption(new Option('--kind <kind>', 'only this kind of document').choices(['code', 'markdown', 'text']))
  .option('--dir <dir>', 'memory directory (default: memory.dir of the config, .swarm/memory)')
  .option('--json', 'machine-readable output')
  .addHelpText('after', '\nExample:\n  $ swarm memory pack "how are budgets reserved" --budget 2000')
  .action((query: string, opts) =>
    runAction(async () =>
      (await import('./commands/memory.js')).memoryPack({ ...globals(), ...opts, query }),
    ),
  );
memory
  .command('stats')
  .description('what the memory holds: files, chunks, segments, vectors, bytes on disk and in memory')
  .option('--dir <dir>', 'memory directory (default: memory.dir of the config, .swarm/memory)')
  .option('--json', 'machine-readable output')
  .addHelpText('after', '\nExample:\n  $ swarm memory stats --json')
  .action((opts) =>
    runAction(async () => (await import('./commands/memory.js')).memoryStats({ ...globals(), ...opts })),
  );

await program.parseAsync();
