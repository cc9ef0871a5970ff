import { describe, expect, it } from 'vitest';
import { chunkMarkdown } from './markdown-chunker.js';

const doc = `# Guide

Intro text.

## Install

Run the installer.

\`\`\`sh
# not a heading, a shell comment
npm ci
\`\`\`

### Linux

Use the package manager.

Setext title
============

${'Long paragraph about configuration and options. '.repeat(60)}
`;

describe('chunkMarkdown', () => {
  const small = chunkMarkdown(doc, { maxTokens: 20, overlapTokens: 0 });

  it('cuts at headings and names each chunk by its heading trail', () => {
    const symbols = small.map((c) => c.symbol);
    expect(symbols).toContain('Guide > Install');
    expect(symbols).toContain('Guide > Install > Linux');
    expect(symbols).toContain('Setext title');
  });

  it('does not take a # line inside a fenced block for a heading', () => {
    expect(small.map((c) => c.symbol)).not.toContain('Guide > Install > not a heading, a shell comment');
    const install = small.filter((c) => c.symbol === 'Guide > Install').map((c) => c.text);
    expect(install.join('\n')).toContain('npm ci');
  });

  it('splits a section over the budget as text, keeping its trail', () => {
    const long = small.filter((c) => c.symbol === 'Setext title');
    expect(long.length).toBeGreaterThan(2);
  });

  it('keeps small neighbouring sections in one chunk when the budget allows', () => {
    const roomy = chunkMarkdown(doc, { maxTokens: 2000, overlapTokens: 0 });
    expect(roomy.length).toBeLessThan(small.length);
    expect(roomy[0]!.text).toContain('Run the installer.');
  });

  it('points each chunk at its lines', () => {
    const lines = doc.split('\n');
    for (const chunk of small) {
      expect(doc.slice(chunk.start, chunk.end)).toBe(chunk.text);
      expect(lines[chunk.startLine - 1]).toContain(chunk.text.split('\n')[0]);
    }
  });
});
