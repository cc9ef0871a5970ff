import { describe, expect, it } from 'vitest';
import { EditParseError } from './errors.js';
import { parseEdits } from './parse-edits.js';
import { parseUnifiedDiff } from './unified-diff-parser.js';

describe('parseUnifiedDiff', () => {
  it('turns each hunk into a block of context plus removed lines and context plus added lines', () => {
    const diff = [
      'diff --git a/src/a.ts b/src/a.ts',
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -1,3 +1,3 @@',
      ' const a = 1;',
      '-const b = 2;',
      '+const b = 3;',
      '',
      '@@ -10,2 +10,3 @@ function f() {',
      ' return a;',
      '+// done',
      '',
    ].join('\n');
    expect(parseUnifiedDiff(diff)).toEqual([
      {
        path: 'src/a.ts',
        search: 'const a = 1;\nconst b = 2;\n\n',
        replace: 'const a = 1;\nconst b = 3;\n\n',
        line: 4,
      },
      { path: 'src/a.ts', search: 'return a;\n', replace: 'return a;\n// done\n', line: 9 },
    ]);
  });

  it('reads a new file from /dev/null and a missing newline marker', () => {
    const diff = [
      '--- /dev/null',
      '+++ b/new.txt',
      '@@ -0,0 +1 @@',
      '+hello',
      '\\ No newline at end of file',
      '',
    ].join('\n');
    expect(parseUnifiedDiff(diff)).toEqual([{ path: 'new.txt', search: '', replace: 'hello', line: 3 }]);
  });

  it('refuses a deletion and a header without hunks', () => {
    expect(() => parseUnifiedDiff('--- a/x.ts\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n')).toThrow(EditParseError);
    expect(() => parseUnifiedDiff('--- a/x.ts\n+++ b/x.ts\nno hunk here\n')).toThrow(/no @@ hunk/);
  });
});

describe('parseEdits', () => {
  it('picks the format the reply used', () => {
    expect(parseEdits('a.ts\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n').format).toBe(
      'search-replace',
    );
    expect(parseEdits('```diff\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n```\n').format).toBe('unified-diff');
    expect(parseEdits('No changes are needed.')).toEqual({ format: 'none', blocks: [], commands: [] });
  });
});
