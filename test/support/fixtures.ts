import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared fixtures sit beside the repository (../shared/fixtures), both in
 * a developer's checkout and in CI's clone. A missing folder fails loudly:
 * tests against real recordings must never skip silently.
 */
export const FIXTURES =
  process.env.SWARM_FIXTURES ??
  resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared/fixtures');

export function fixturePath(...parts: string[]): string {
  const path = join(FIXTURES, ...parts);
  if (!existsSync(path)) {
    throw new Error(
      `fixture ${path} is missing: the shared fixtures must sit at ../shared/fixtures (or set SWARM_FIXTURES)`,
    );
  }
  return path;
}
