import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leadingComment, projectProfile } from './project-profile.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-profile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

describe('projectProfile', () => {
  it('describes each folder under src/ by its README, file names and doc comments', async () => {
    write({
      'README.md': '# app\nA queue.\n',
      'src/queue/README.md': '# queue\n\nLeases and redelivery of tasks.\n',
      'src/queue/lease-timer.ts': '/** Renews a lease before it runs out. */\nexport {};\n',
      'src/queue/lease-timer.test.ts': '/** not a module file */\n',
      'src/http/server.py': '"""Serves the API over HTTP."""\n',
    });
    const docs = await projectProfile(dir);
    expect(docs.map((d) => d.path)).toEqual(['project/README.md', 'modules/src/http', 'modules/src/queue']);
    const queue = docs.find((d) => d.module === 'src/queue')!;
    expect(queue.summary).toBe('Leases and redelivery of tasks.');
    expect(queue.text).toContain('lease-timer.ts (lease timer)');
    expect(queue.text).toContain('lease-timer.ts: Renews a lease before it runs out.');
    expect(queue.text).not.toContain('not a module file');
    expect(docs.find((d) => d.module === 'src/http')!.summary).toBe('Serves the API over HTTP.');
  });

  it('uses top-level source folders when there is no src/, skipping dependencies and build output', async () => {
    write({ 'lib/a.js': '// parses input\n', 'node_modules/x/i.js': '', 'dist/a.js': '', '.git/HEAD': '' });
    expect((await projectProfile(dir)).map((d) => d.module)).toEqual(['lib']);
  });

  it('reads the leading comment of a file', () => {
    expect(leadingComment('import x;\n/**\n * Does a thing.\n * Well.\n */\nfunction f() {}')).toBe(
      'Does a thing. Well.',
    );
    expect(leadingComment('#!/usr/bin/env python\n# Tool for X.\n# More.\nimport os')).toBeUndefined();
    expect(leadingComment('// Tool for X.\n// More.\nconst a = 1;')).toBe('Tool for X. More.');
  });
});
