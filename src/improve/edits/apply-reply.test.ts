import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyReply } from './apply-reply.js';
import { EditMatchError, EditParseError } from './errors.js';

let root: string;

beforeEach(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'swarm-reply-')));
  await writeFile(join(root, 'app.py'), 'def main():\n    print("hello")\n\n\ndef other():\n    return 1\n');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const sr = (path: string, search: string, replace: string) =>
  `${path}\n\`\`\`python\n<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n\`\`\`\n`;

describe('applyReply', () => {
  it('applies a good reply without asking again', async () => {
    let asked = 0;
    const result = await applyReply(root, sr('app.py', '    return 1\n', '    return 2\n'), {
      retry: async () => {
        asked++;
        return '';
      },
    });
    expect(asked).toBe(0);
    expect(result.retried).toBe(false);
    expect(await readFile(join(root, 'app.py'), 'utf8')).toContain('return 2');
  });

  it('retries once with did-you-mean feedback, keeping the blocks that matched', async () => {
    const reply =
      sr('app.py', '    print("hello")\n', '    print("hi")\n') +
      sr('app.py', '    return 11\n', '    return 2\n');
    const feedbacks: string[] = [];
    const result = await applyReply(root, reply, {
      retry: async (feedback) => {
        feedbacks.push(feedback);
        return sr('app.py', '    return 1\n', '    return 2\n');
      },
    });
    expect(feedbacks).toHaveLength(1);
    expect(feedbacks[0]).toContain('6 │     return 1');
    expect(result.retried).toBe(true);
    expect(await readFile(join(root, 'app.py'), 'utf8')).toBe(
      'def main():\n    print("hi")\n\n\ndef other():\n    return 2\n',
    );
  });

  it('gives up after the one retry, leaving the file untouched', async () => {
    let asked = 0;
    const bad = sr('app.py', 'nothing\nlike\nthis\n', 'x\n');
    const run = applyReply(root, bad, {
      retry: async () => {
        asked++;
        return bad;
      },
    });
    await expect(run).rejects.toBeInstanceOf(EditMatchError);
    expect(asked).toBe(1);
    expect(await readFile(join(root, 'app.py'), 'utf8')).toContain('return 1');
  });

  it('asks again for a cut-off reply and applies the complete blocks with the resent one', async () => {
    const cut = `${sr('app.py', '    return 1\n', '    return 5\n')}app.py\n<<<<<<< SEARCH\n    print("hello")\n=======\n`;
    const result = await applyReply(root, cut, {
      retry: async (feedback) => {
        expect(feedback).toMatch(/1 block\(s\) before that point/);
        return sr('app.py', '    print("hello")\n', '    print("bye")\n');
      },
    });
    expect(result.retried).toBe(true);
    const text = await readFile(join(root, 'app.py'), 'utf8');
    expect(text).toContain('return 5');
    expect(text).toContain('print("bye")');
    await expect(applyReply(root, cut)).rejects.toBeInstanceOf(EditParseError);
  });
});
