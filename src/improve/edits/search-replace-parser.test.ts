import { describe, expect, it } from 'vitest';
import { EditParseError } from './errors.js';
import { parseSearchReplace } from './search-replace-parser.js';

const fence = '```';

describe('parseSearchReplace', () => {
  it('reads the canonical block: path line, fence, SEARCH, divider, REPLACE', () => {
    const reply = [
      'Here is the change:',
      '',
      'src/app.ts',
      `${fence}ts`,
      '<<<<<<< SEARCH',
      'const a = 1;',
      '=======',
      'const a = 2;',
      '>>>>>>> REPLACE',
      fence,
      '',
    ].join('\n');
    expect(parseSearchReplace(reply).blocks).toEqual([
      { path: 'src/app.ts', search: 'const a = 1;\n', replace: 'const a = 2;\n', line: 5 },
    ]);
  });

  it('reads blocks without fences, with decorated paths and odd marker lengths', () => {
    const reply = [
      '**src/a.py**',
      '<<<<< SEARCH  ',
      'x = 1',
      '=========',
      'x = 2',
      '>>>>>>>>> REPLACE',
      '',
      '### `src/b.py`:',
      '<<<<<<< SEARCH',
      'y = 1',
      '=======',
      'y = 2',
      '>>>>>>> REPLACE',
    ].join('\n');
    expect(parseSearchReplace(reply).blocks.map((b) => [b.path, b.search, b.replace])).toEqual([
      ['src/a.py', 'x = 1\n', 'x = 2\n'],
      ['src/b.py', 'y = 1\n', 'y = 2\n'],
    ]);
  });

  it('takes the path from the fence line when no line above names one', () => {
    const reply = [
      `${fence}python src/tool.py`,
      '<<<<<<< SEARCH',
      'a',
      '=======',
      'b',
      '>>>>>>> REPLACE',
      fence,
    ].join('\n');
    expect(parseSearchReplace(reply).blocks[0]?.path).toBe('src/tool.py');
    const colon = [`${fence}ts:lib/x.ts`, '<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE'].join(
      '\n',
    );
    expect(parseSearchReplace(colon).blocks[0]?.path).toBe('lib/x.ts');
  });

  it('looks past a fence for the path (the DeepSeek layout), and past a language-only fence', () => {
    const reply = [
      'word_count.py',
      `${fence}python`,
      '<<<<<<< SEARCH',
      'a',
      '=======',
      'b',
      '>>>>>>> REPLACE',
    ].join('\n');
    expect(parseSearchReplace(reply).blocks[0]?.path).toBe('word_count.py');
  });

  it('reads several blocks in one fence, later ones continuing the same file', () => {
    const reply = [
      'src/a.ts',
      fence,
      '<<<<<<< SEARCH',
      'one',
      '=======',
      'uno',
      '>>>>>>> REPLACE',
      '',
      '<<<<<<< SEARCH',
      'two',
      '=======',
      'dos',
      '>>>>>>> REPLACE',
      fence,
    ].join('\n');
    const blocks = parseSearchReplace(reply).blocks;
    expect(blocks.map((b) => [b.path, b.search])).toEqual([
      ['src/a.ts', 'one\n'],
      ['src/a.ts', 'two\n'],
    ]);
  });

  it('reads a new-file block with an empty SEARCH', () => {
    const reply = ['docs/new.md', fence, '<<<<<<< SEARCH', '=======', '# New', '>>>>>>> REPLACE', fence].join(
      '\n',
    );
    expect(parseSearchReplace(reply).blocks).toEqual([
      { path: 'docs/new.md', search: '', replace: '# New\n', line: 3 },
    ]);
  });

  it('keeps CRLF replies intact and returns shell fences as commands', () => {
    const reply = [
      'a.txt',
      '<<<<<<< SEARCH',
      'x',
      '=======',
      'y',
      '>>>>>>> REPLACE',
      '```bash',
      'npm test',
      '```',
    ].join('\r\n');
    const parsed = parseSearchReplace(reply);
    expect(parsed.blocks[0]).toMatchObject({ search: 'x\r\n', replace: 'y\r\n' });
    expect(parsed.commands).toEqual(['npm test\r\n']);
  });

  it('refuses a block cut off before its end, keeping the complete blocks before it', () => {
    const reply = [
      'a.ts',
      '<<<<<<< SEARCH',
      'x',
      '=======',
      'y',
      '>>>>>>> REPLACE',
      'b.ts',
      '<<<<<<< SEARCH',
      'p',
      '=======',
      'q',
    ].join('\n');
    const error = catchError(() => parseSearchReplace(reply));
    expect(error).toBeInstanceOf(EditParseError);
    expect(error).toMatchObject({ problem: 'cut-off', line: 11 });
    expect((error as EditParseError).parsed.map((b) => b.path)).toEqual(['a.ts']);
    expect((error as EditParseError).hint).toMatch(/REPLACE/);
  });

  it('refuses a block with no divider, and a first block with no path', () => {
    const noDivider = ['a.ts', '<<<<<<< SEARCH', 'x', 'y'].join('\n');
    expect(catchError(() => parseSearchReplace(noDivider))).toMatchObject({ problem: 'missing-divider' });
    const noPath = ['<<<<<<< SEARCH', 'x', '=======', 'y', '>>>>>>> REPLACE'].join('\n');
    expect(catchError(() => parseSearchReplace(noPath))).toMatchObject({ problem: 'missing-path', line: 1 });
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
