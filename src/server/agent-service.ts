import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AgentManifest,
  AgentRegistry,
  loadManifestFile,
  ManifestError,
  ManifestSetError,
  manifestFiles,
} from '../agents/index.js';
import type { FileProblem } from '../core/errors.js';

export interface AgentSummary {
  name: string;
  description: string;
  model: string | string[] | undefined;
  tools: string[];
  delegates: string[];
  limits: AgentManifest['limits'];
  structuredOutput: boolean;
  file: string;
}

export type ValidationResult =
  | { ok: true; agents: string[] }
  | { ok: false; problems: (FileProblem & { file: string })[] };

const BODY = '(request body)';

export function summarise(registry: AgentRegistry): AgentSummary[] {
  return registry.list().map(({ manifest, file }) => ({
    name: manifest.name,
    description: manifest.description,
    model: manifest.model,
    tools: manifest.tools,
    delegates: manifest.delegates,
    limits: manifest.limits,
    structuredOutput: manifest.output !== undefined,
    file,
  }));
}

/**
 * Validates the manifests in `dir`, or one manifest sent by a client checked
 * against them (fields, output schema, its delegates and tools), exactly as
 * `swarm agents validate` would, by handing the registry a file.
 */
export function validateManifests(
  dir: string,
  tools: ReadonlySet<string>,
  manifest: string | Record<string, unknown> | undefined,
): ValidationResult {
  const scratch = manifest === undefined ? undefined : mkdtempSync(join(tmpdir(), 'swarm-validate-'));
  try {
    let files = manifestFiles(dir);
    let candidate: string | undefined;
    if (scratch && manifest !== undefined) {
      candidate = join(scratch, typeof manifest === 'string' ? 'manifest.yaml' : 'manifest.json');
      writeFileSync(candidate, typeof manifest === 'string' ? manifest : JSON.stringify(manifest, null, 2));
      const { name } = loadManifestFile(candidate).manifest;
      files = [...files.filter((f) => safeName(f) !== name), candidate];
    }
    const registry = AgentRegistry.fromFiles(files, tools);
    return { ok: true, agents: registry.names() };
  } catch (error) {
    const errors =
      error instanceof ManifestSetError ? error.errors : error instanceof ManifestError ? [error] : undefined;
    if (!errors) throw error;
    return {
      ok: false,
      problems: errors.flatMap((e) =>
        e.problems.map((p) => ({ ...p, file: scratch && e.file.startsWith(scratch) ? BODY : e.file })),
      ),
    };
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

function safeName(file: string): string | undefined {
  try {
    return loadManifestFile(file).manifest.name;
  } catch {
    return undefined;
  }
}
