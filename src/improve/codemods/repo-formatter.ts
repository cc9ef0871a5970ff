import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../analyse/index.js';

const FORMAT_TIMEOUT_MS = 120_000;
const BIOME_CONFIGS = ['biome.json', 'biome.jsonc'];
const PRETTIER_CONFIGS = [
  '.prettierrc',
  '.prettierrc.json',
  '.prettierrc.yaml',
  '.prettierrc.yml',
  '.prettierrc.js',
  '.prettierrc.cjs',
  '.prettierrc.mjs',
  'prettier.config.js',
  'prettier.config.cjs',
  'prettier.config.mjs',
];

/**
 * Formats files a codemod generated with the repository's own formatter, as
 * its lint gate will judge them: Biome (`check --write`: format, import
 * order, safe fixes) or Prettier, when the repository configures one and has
 * it installed. Returns the tool used, or undefined when there is none or it
 * failed: the files are then left as generated, and the gate decides.
 */
export async function formatWithRepoTool(dir: string, files: readonly string[]): Promise<string | undefined> {
  const bin = (name: string) => join(dir, 'node_modules', '.bin', name);
  let argv: string[] | undefined;
  if (BIOME_CONFIGS.some((f) => existsSync(join(dir, f))) && existsSync(bin('biome'))) {
    argv = [bin('biome'), 'check', '--write', '--no-errors-on-unmatched', ...files];
  } else if (PRETTIER_CONFIGS.some((f) => existsSync(join(dir, f))) && existsSync(bin('prettier'))) {
    argv = [bin('prettier'), '--write', ...files];
  }
  if (!argv) return undefined;
  const run = await runCommand(argv, { cwd: dir, timeoutMs: FORMAT_TIMEOUT_MS });
  return run.exitCode === 0 ? argv[0]!.split('/').at(-1) : undefined;
}
