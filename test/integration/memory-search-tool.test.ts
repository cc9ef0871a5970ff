import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/memory/index.js';
import { chatRequest, type Harness, startHarness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const toolResults = (body: { messages: { role: string; content: unknown }[] }) =>
  body.messages.filter((m) => m.role === 'tool').map((m) => JSON.parse(String(m.content)) as unknown);

/** What the model asks for first; then it answers with the tool's result. */
function scenario(args: Record<string, unknown>) {
  return {
    rules: [
      { match: { lastToolResult: '.' }, reply: { content: 'done' } },
      { reply: { toolCalls: [{ name: 'memory_search', arguments: args }] } },
    ],
  };
}

async function ingest(harness: Harness, tenant = 'default') {
  const store = await MemoryStore.open({
    dir: join(harness.dir, '.swarm/memory'),
    root: harness.dir,
    background: false,
  });
  try {
    await store.ingest([harness.workspace], { tenant });
  } finally {
    await store.close();
  }
}

const FILES = {
  'docs/budget.md': '# Budgets\n\nEvery model call reserves its worst-case cost before it starts.\n',
  'docs/queue.md': '# Queue\n\nA worker claims a task with a lease and acks it when done.\n',
  'src/lease.ts': 'export function renewLease(task: string) {\n  return `lease for ${task}`;\n}\n',
};

describe('the memory_search tool, called by a scripted model over HTTP', { timeout: 120_000 }, () => {
  it('returns chunks with file, lines and collection, filtered inside the search', async () => {
    h = await startHarness({
      agents: { researcher: { tools: ['memory_search'] } },
      files: FILES,
      scenario: scenario({ query: 'lease worker task', k: 5, mode: 'bm25', kind: 'markdown' }),
    });
    await ingest(h);
    const outcome = await h.run('researcher', 'how do leases work?');
    expect(outcome.outcome).toBe('succeeded');
    const [result] = toolResults(chatRequest(h.sim, 2)) as {
      chunks: {
        path: string;
        startLine: number;
        endLine: number;
        source: string;
        kind: string;
        text: string;
      }[];
    }[];
    expect(result!.chunks.length).toBeGreaterThan(0);
    expect(result!.chunks[0]).toMatchObject({
      path: 'workspace/docs/queue.md',
      startLine: 1,
      kind: 'markdown',
    });
    expect(result!.chunks[0]!.endLine).toBeGreaterThanOrEqual(3);
    expect(result!.chunks[0]!.text).toContain('claims a task with a lease');
    // the code file mentions leases too, but kind: markdown keeps it out
    expect(result!.chunks.every((c) => c.kind === 'markdown')).toBe(true);
  });

  it("searches only the caller's tenant", async () => {
    h = await startHarness({
      agents: { researcher: { tools: ['memory_search'] } },
      files: FILES,
      scenario: scenario({ query: 'lease worker task' }),
    });
    await ingest(h, 'someone-else');
    await h.run('researcher', 'how do leases work?');
    const [result] = toolResults(chatRequest(h.sim, 2)) as { chunks: unknown[] }[];
    expect(result!.chunks).toEqual([]);
  });

  it('tells the model what was wrong with its arguments, and that there is no memory yet', async () => {
    h = await startHarness({
      agents: { researcher: { tools: ['memory_search'] } },
      files: FILES,
      scenario: scenario({ query: 'lease', k: 500 }),
    });
    await h.run('researcher', 'search');
    const bad = chatRequest(h.sim, 2).messages.find((m) => m.role === 'tool');
    expect(String(bad?.content)).toMatch(/k/);
    expect(String(bad?.content)).toMatch(/50/);
    await h.close();

    h = await startHarness({
      agents: { researcher: { tools: ['memory_search'] } },
      files: FILES,
      scenario: scenario({ query: 'lease' }),
    });
    await h.run('researcher', 'search');
    const missing = chatRequest(h.sim, 2).messages.find((m) => m.role === 'tool');
    expect(String(missing?.content)).toMatch(/no memory store at .*nothing has been ingested/);
  });
});
