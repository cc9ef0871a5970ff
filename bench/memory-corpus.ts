/**
 * Deterministic scale corpora for the memory benchmarks: this repository's
 * sources and the text files in node_modules (code and docs, under 512 KiB
 * each, in path order), copied until the target token count is reached.
 * Every copy after the first changes one word in seven (a suffix naming the
 * copy), so copies are near-duplicates with a growing vocabulary rather
 * than byte-identical files that a store could skip.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { estimateTokens } from '../src/memory/token-estimate.js';

const EXTENSIONS = /\.(ts|js|mjs|cjs|md|py|go)$/;
const KINDS = { all: EXTENSIONS, code: /\.(ts|js|mjs|cjs|py|go)$/, prose: /\.md$/ };
export type CorpusKind = keyof typeof KINDS;
const MAX_FILE = 512 * 1024;

export interface Corpus {
  dir: string;
  files: number;
  bytes: number;
  tokens: number;
}

function sources(repo: string, kind: CorpusKind): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === '.git' || name === 'dist' || name === '.swarm') continue;
      const path = join(dir, name);
      const info = statSync(path, { throwIfNoEntry: false });
      if (!info) continue;
      if (info.isDirectory()) walk(path);
      else if (KINDS[kind].test(name) && info.size > 0 && info.size <= MAX_FILE) out.push(path);
    }
  };
  walk(join(repo, 'src'));
  walk(join(repo, 'node_modules'));
  return out;
}

function vary(text: string, copy: number): string {
  if (copy === 0) return text;
  let n = 0;
  return text.replace(/[A-Za-z][A-Za-z0-9]{3,}/g, (word) => (++n % 7 === 0 ? `${word}_v${copy}` : word));
}

/** Writes a corpus of about `targetTokens` estimated tokens under `dir`. */
export function generateCorpus(
  repo: string,
  dir: string,
  targetTokens: number,
  kind: CorpusKind = 'all',
): Corpus {
  const files = sources(repo, kind);
  let tokens = 0;
  let bytes = 0;
  let count = 0;
  for (let copy = 0; tokens < targetTokens; copy++) {
    for (const file of files) {
      if (tokens >= targetTokens) break;
      const text = vary(readFileSync(file, 'utf8'), copy);
      // renamed so that a walk (which skips node_modules and dist) takes them in
      const rel = relative(repo, file)
        .replace(/(^|\/)node_modules\//g, '$1deps/')
        .replace(/(^|\/)dist\//g, '$1build/');
      const target = join(dir, `copy${copy}`, rel);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
      tokens += estimateTokens(text);
      bytes += Buffer.byteLength(text);
      count++;
    }
  }
  return { dir, files: count, bytes, tokens };
}
