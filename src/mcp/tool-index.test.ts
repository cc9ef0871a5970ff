import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IndexedTool, ToolIndex, toolDocument } from './tool-index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-tool-index-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tool = (
  name: string,
  description: string,
  properties: Record<string, { description?: string }> = {},
): IndexedTool => ({
  name,
  server: name.split('__')[0] ?? 'x',
  description,
  inputSchema: { type: 'object', properties },
});

const tools = [
  tool('db__run_sql_query', 'Run a read-only SQL query against the Postgres database', {
    sql: { description: 'The SELECT statement' },
  }),
  tool('fs__read_text_file', 'Read the contents of a file as text', { path: { description: 'File path' } }),
  tool('gh__createIssue', 'Open a new issue in a GitHub repository', {
    title: { description: 'Issue title' },
  }),
  tool('slack__post_message', 'Send a message to a Slack channel', {
    channel: { description: 'Channel id' },
  }),
];

describe('ToolIndex', () => {
  it('finds the tool that fits a need, by description, name words and parameters', async () => {
    const index = await ToolIndex.open(dir);
    try {
      await index.update(tools);
      expect((await index.search('query the database with SQL', 1))[0]!.name).toBe('db__run_sql_query');
      expect((await index.search('create issue', 1))[0]!.name).toBe('gh__createIssue');
      expect((await index.search('post to a channel', 1))[0]!.name).toBe('slack__post_message');
      const [top] = await index.search('read a file', 3);
      expect(top).toMatchObject({ name: 'fs__read_text_file', server: 'fs', rank: 1 });
    } finally {
      await index.close();
    }
  });

  it('forgets tools that are gone, including those an earlier process left', async () => {
    const first = await ToolIndex.open(dir);
    await first.update(tools);
    await first.close();
    const second = await ToolIndex.open(dir);
    try {
      await second.update(tools.slice(0, 1));
      expect((await second.search('send a slack message', 5)).map((m) => m.name)).not.toContain(
        'slack__post_message',
      );
      await second.update([]);
      expect(await second.search('SQL', 5)).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('a second process indexes beside a running one instead of failing on the lock', async () => {
    const holder = await ToolIndex.open(dir);
    const other = await ToolIndex.open(dir);
    try {
      await other.update(tools);
      expect((await other.search('slack', 1))[0]!.name).toBe('slack__post_message');
    } finally {
      await other.close();
      await holder.close();
    }
  });

  it('documents carry the name in words and each parameter', () => {
    expect(toolDocument(tools[2]!)).toBe(
      'gh create Issue (gh)\nOpen a new issue in a GitHub repository\nParameters:\n- title: Issue title',
    );
  });
});
