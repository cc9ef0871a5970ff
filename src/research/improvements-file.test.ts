import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImprovementsFormatError } from './errors.js';
import { appendProposals, readImprovements } from './improvements-file.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-improvements-'));
  file = join(dir, 'improvements.md');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const proposal = (id: string, text = `idea from ${id}`) => ({ id, version: 1, text });

describe('improvements.md', () => {
  it('finds links outside code blocks and proposal lines', async () => {
    writeFileSync(
      file,
      [
        '# Improvements',
        'Read https://arxiv.org/abs/2202.12139v1, and [this](https://arxiv.org/pdf/1605.08386.pdf).',
        '```',
        'https://arxiv.org/abs/9999.99999',
        '```',
        '- [ ] research arXiv:1111.2011v2: old idea (note: https://arxiv.org/abs/1111.2011v2)',
        'again https://arxiv.org/abs/2202.12139v1',
      ].join('\n'),
    );
    const doc = await readImprovements(file);
    expect(doc.links).toEqual([
      { url: 'https://arxiv.org/abs/2202.12139v1', line: 2 },
      { url: 'https://arxiv.org/pdf/1605.08386.pdf', line: 2 },
    ]);
    expect([...doc.proposals]).toEqual([['1111.2011', 6]]);
  });

  it('creates the file, then appends under its heading without duplicating a proposal', async () => {
    expect(await appendProposals(file, [proposal('2202.12139'), proposal('2202.12139')])).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toBe(
      '# Improvements\n\n## Research proposals\n\n- [ ] research arXiv:2202.12139v1: idea from 2202.12139\n',
    );
    const appended = await appendProposals(file, [
      { ...proposal('2202.12139'), version: 2 },
      proposal('cond-mat/0603029', 'a second\nline'),
    ]);
    expect(appended.map((p) => p.id)).toEqual(['cond-mat/0603029']);
    expect(readFileSync(file, 'utf8').split('\n').slice(-3)).toEqual([
      '- [ ] research arXiv:2202.12139v1: idea from 2202.12139',
      '- [ ] research arXiv:cond-mat/0603029v1: a second line',
      '',
    ]);
  });

  it('inserts into the section when other sections follow, and keeps everything else byte for byte', async () => {
    const before =
      '# Log\r\n\r\n## Research proposals\r\n\r\n- [x] research arXiv:1605.08386v1: done\r\n## Other\r\nkeep me\r\n';
    writeFileSync(file, before);
    await appendProposals(file, [proposal('2202.12139')]);
    expect(readFileSync(file, 'utf8')).toBe(
      '# Log\r\n\r\n## Research proposals\r\n\r\n- [x] research arXiv:1605.08386v1: done\r\n' +
        '- [ ] research arXiv:2202.12139v1: idea from 2202.12139\r\n\r\n## Other\r\nkeep me\r\n',
    );
  });

  it('refuses a malformed file with the line, and never rewrites it', async () => {
    const cases: [string | Buffer, number, RegExp][] = [
      ['# x\n\n- [ ] research arXiv:not-an-id: text\n', 3, /proposal line that does not parse/],
      ['# x\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> branch\n', 2, /merge-conflict marker/],
      ['# x\n\n```ts\ncode\n', 3, /code block opened with ``` is never closed/],
      [Buffer.from([0x23, 0x0a, 0x61, 0xff, 0xfe, 0x0a]), 2, /not valid UTF-8/],
      ['# x\nfine\nbad\0byte\n', 3, /NUL byte/],
    ];
    for (const [content, line, message] of cases) {
      writeFileSync(file, content);
      const error = await appendProposals(file, [proposal('2202.12139')]).catch((e: unknown) => e);
      expect(error, String(content)).toBeInstanceOf(ImprovementsFormatError);
      expect((error as ImprovementsFormatError).line).toBe(line);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message.startsWith(`${file}:${line}: `)).toBe(true);
      expect(readFileSync(file)).toEqual(Buffer.from(content));
    }
  });
});
