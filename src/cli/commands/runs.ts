import pc from 'picocolors';
import { loadConfig, resolvePath } from '../../core/config.js';
import { type NodeRow, RunStore } from '../../observe/index.js';
import { colourStatus, formatDuration, formatTokens, formatUsd, oneLine, printJson } from '../format.js';

interface StoreOptions {
  config?: string;
  store?: string;
  json?: boolean;
}

function openStore(opts: StoreOptions): RunStore {
  const config = loadConfig({ cwd: process.cwd(), file: opts.config });
  return new RunStore(resolvePath(config, opts.store ?? config.store));
}

export async function listRuns(
  opts: StoreOptions & { limit: number; status?: 'running' | 'succeeded' | 'failed' | 'cancelled' },
) {
  const store = openStore(opts);
  try {
    const runs = store.listRuns({ limit: opts.limit, ...(opts.status ? { status: opts.status } : {}) });
    if (opts.json) {
      printJson(runs);
      return 0;
    }
    if (runs.length === 0) {
      process.stdout.write('No runs yet. Start one with `swarm run <agent> "<task>"` or try `swarm demo`.\n');
      return 0;
    }
    for (const r of runs) {
      const time = formatDuration(r.finishedAt === null ? null : r.finishedAt - r.startedAt);
      process.stdout.write(
        `${pc.bold(r.id)}  ${colourStatus(r.status).padEnd(19)} ${r.agent.padEnd(12)} ${time.padStart(7)}  ` +
          `${formatTokens(r.inputTokens + r.outputTokens).padStart(8)} tok  ${formatUsd(r.costUsd).padStart(10)}  ` +
          `${pc.dim(oneLine(r.task, 48))}\n`,
      );
    }
    return 0;
  } finally {
    store.close();
  }
}

export async function showRun(opts: StoreOptions & { id: string; events?: boolean }) {
  const store = openStore(opts);
  try {
    const id = store.resolveRunId(opts.id);
    const { run, nodes, steps } = store.getRun(id);
    const events = opts.events ? store.events(id) : undefined;
    if (opts.json) {
      printJson({ run, tree: buildTree(nodes), steps, ...(events ? { events } : {}) });
      return 0;
    }
    const took = formatDuration(run.finishedAt === null ? null : run.finishedAt - run.startedAt);
    process.stdout.write(
      `${pc.bold(run.id)} ${colourStatus(run.status)}  ${took}  ${formatTokens(run.inputTokens + run.outputTokens)} tokens  ${formatUsd(run.costUsd)}\n` +
        `${pc.dim('task:')} ${oneLine(run.task, 100)}\n`,
    );
    if (run.error) process.stdout.write(`${pc.red('error:')} ${run.error}\n`);
    process.stdout.write('\n');
    for (const line of renderTree(buildTree(nodes))) process.stdout.write(`${line}\n`);
    if (steps.length) {
      process.stdout.write(`\n${pc.dim('workflow steps:')}\n`);
      for (const step of steps) {
        const took =
          step.startedAt && step.finishedAt ? formatDuration(step.finishedAt - step.startedAt) : '';
        process.stdout.write(
          `  ${step.stepId.padEnd(20)} ${colourStatus(step.status).padEnd(19)} ${step.kind.padEnd(9)} ${took.padStart(7)}  ` +
            `${pc.dim(oneLine(step.error ?? '', 80))}\n`,
        );
      }
    }
    if (run.output) process.stdout.write(`\n${pc.dim('answer:')}\n${run.output}\n`);
    if (events) {
      process.stdout.write(`\n${pc.dim('events:')}\n`);
      for (const e of events) {
        process.stdout.write(
          `${String(e.seq).padStart(5)} ${new Date(e.ts).toISOString()} ${e.type.padEnd(14)} ${oneLine(JSON.stringify(e.data), 110)}\n`,
        );
      }
    }
    return 0;
  } finally {
    store.close();
  }
}

export interface TreeNode extends NodeRow {
  children: TreeNode[];
}

export function buildTree(nodes: readonly NodeRow[]): TreeNode[] {
  const byId = new Map<string, TreeNode>(nodes.map((n) => [n.id, { ...n, children: [] }]));
  const roots: TreeNode[] = [];
  for (const node of byId.values()) {
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export function renderTree(roots: readonly TreeNode[]): string[] {
  const lines: string[] = [];
  const walk = (node: TreeNode, prefix: string, last: boolean, top: boolean) => {
    const branch = top ? '' : last ? '└─ ' : '├─ ';
    const took = formatDuration(node.finishedAt === null ? null : node.finishedAt - node.startedAt);
    const guard = node.guard ? pc.magenta(` [guard: ${node.guard}]`) : '';
    lines.push(
      `${prefix}${branch}${pc.bold(node.agent)} ${colourStatus(node.status)}${guard}  ${took}  ` +
        `${node.steps} step${node.steps === 1 ? '' : 's'}  ${formatTokens(node.inputTokens + node.outputTokens)} tok  ${formatUsd(node.costUsd)}  ` +
        pc.dim(oneLine(node.task, 50)),
    );
    if (node.error && node.status !== 'succeeded') {
      lines.push(
        `${prefix}${top ? '' : last ? '   ' : '│  '}${pc.red('↳')} ${pc.dim(oneLine(node.error, 110))}`,
      );
    }
    const childPrefix = top ? prefix : prefix + (last ? '   ' : '│  ');
    node.children.forEach((c, i) => {
      walk(c, childPrefix, i === node.children.length - 1, false);
    });
  };
  roots.forEach((r, i) => {
    walk(r, '', i === roots.length - 1, true);
  });
  return lines;
}
