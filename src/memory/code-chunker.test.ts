import { describe, expect, it } from 'vitest';
import type { ChunkDraft } from './chunk.js';
import { chunkCode } from './code-chunker.js';

const typescript = `import { a } from './a.js';
import { b } from './b.js';

/** Adds. */
export function add(x: number, y: number): number {
  return x + y;
}

export class Counter {
  private count = 0;

  increment(): number {
    this.count += 1;
    return this.count;
  }

  reset(): void {
    this.count = 0;
  }
}

const helper = () => a + b;
`;

function bigFunction(statements: number): string {
  const body = Array.from(
    { length: statements },
    (_, i) => `  const value${i} = compute(${i}, "some text that makes the line longer", options);`,
  );
  return `export function huge(options: Options): void {\n${body.join('\n')}\n}\n`;
}

/** Every line of the file is in some chunk, in order. */
function coversAllLines(source: string, chunks: ChunkDraft[]) {
  const lines = source.split('\n');
  const covered = new Set<number>();
  for (const chunk of chunks) for (let l = chunk.startLine; l <= chunk.endLine; l++) covered.add(l);
  lines.forEach((line, i) => {
    if (line.trim() !== '') expect(covered.has(i + 1), `line ${i + 1} missing`).toBe(true);
  });
}

describe('chunkCode', () => {
  it('cuts TypeScript at declarations and names them', async () => {
    const chunks = await chunkCode(typescript, 'typescript', { maxTokens: 40, overlapTokens: 0 });
    const symbols = chunks.map((c) => c.symbol);
    expect(symbols).toContain('add');
    expect(symbols.some((s) => s?.includes('Counter'))).toBe(true);
    const add = chunks.find((c) => c.symbol === 'add')!;
    expect(add.text.startsWith('/** Adds. */')).toBe(true);
    expect(add.text.endsWith('}')).toBe(true);
    coversAllLines(typescript, chunks);
  });

  it('keeps small declarations together when the budget allows', async () => {
    const chunks = await chunkCode(typescript, 'typescript', { maxTokens: 1000, overlapTokens: 0 });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.text).toBe(typescript.trimEnd());
  });

  it('cuts a class over the budget at its methods', async () => {
    const chunks = await chunkCode(typescript, 'typescript', { maxTokens: 25, overlapTokens: 0 });
    const symbols = chunks.map((c) => c.symbol);
    expect(symbols).toContain('Counter.increment');
    expect(symbols).toContain('Counter.reset');
  });

  it('cuts a function over the budget at its statements, never mid-line', async () => {
    const source = bigFunction(80);
    const chunks = await chunkCode(source, 'typescript', { maxTokens: 120, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.symbol).toBe('huge');
      expect(source.split('\n')).toContain(chunk.text.split('\n')[0]);
    }
    coversAllLines(source, chunks);
  });

  it('uses the Python and Go grammars', async () => {
    const python =
      'import os\n\n\nclass Store:\n    def get(self, key):\n        return key\n\n\ndef main():\n    print("hi")\n';
    const go =
      'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n\ntype Point struct {\n\tX int\n}\n';
    const py = await chunkCode(python, 'python', { maxTokens: 12, overlapTokens: 0 });
    expect(py.map((c) => c.symbol)).toEqual(expect.arrayContaining(['Store', 'main']));
    const golang = await chunkCode(go, 'go', { maxTokens: 12, overlapTokens: 0 });
    expect(golang.map((c) => c.symbol)).toEqual(expect.arrayContaining(['main', 'Point']));
  });

  it('falls back to lines, with overlap, where there is no grammar', async () => {
    const rust = Array.from({ length: 200 }, (_, i) => `fn f${i}() -> u32 { ${i} }`).join('\n');
    const chunks = await chunkCode(rust, 'rust', { maxTokens: 60, overlapTokens: 24 });
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks[1]!.startLine).toBeLessThanOrEqual(chunks[0]!.endLine);
    coversAllLines(rust, chunks);
  });

  it('cuts a minified line longer than the budget', async () => {
    const minified = `var a=${'1+'.repeat(5000)}1;`;
    const chunks = await chunkCode(minified, 'javascript', { maxTokens: 200, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(5);
  });
});
