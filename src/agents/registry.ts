import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { FileProblem } from '../core/errors.js';
import { type Locator, parseStructured } from '../core/structured-file.js';
import { ManifestError, ManifestSetError, UnknownAgentError } from './errors.js';
import { type AgentManifest, manifestSchema } from './manifest.js';

export interface LoadedManifest {
  manifest: AgentManifest;
  file: string;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Parses and checks one manifest file on its own (fields and output schema). */
export function loadManifestFile(file: string): LoadedManifest & { locate: Locator } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ManifestError(file, [{ path: '', message: `cannot read: ${(error as Error).message}` }]);
  }
  const parsed = parseStructured(text, manifestSchema);
  if (!parsed.ok) throw new ManifestError(file, parsed.problems);
  const problems: FileProblem[] = [];
  if (parsed.value.output) {
    try {
      z.fromJSONSchema(parsed.value.output.schema as Parameters<typeof z.fromJSONSchema>[0]);
    } catch (error) {
      problems.push(
        at(parsed.locate, ['output', 'schema'], `not a usable JSON Schema: ${(error as Error).message}`),
      );
    }
  }
  if (problems.length) throw new ManifestError(file, problems);
  return { manifest: parsed.value, file, locate: parsed.locate };
}

/**
 * All agents of a project. Loading checks every manifest and then the links
 * between them: duplicate names, delegation to unknown agents, unknown tools.
 */
export class AgentRegistry {
  private constructor(private readonly agents: ReadonlyMap<string, LoadedManifest>) {}

  static fromFiles(files: readonly string[], knownTools: ReadonlySet<string>): AgentRegistry {
    const loaded: (LoadedManifest & { locate: Locator })[] = [];
    const failures: ManifestError[] = [];
    for (const file of files) {
      try {
        loaded.push(loadManifestFile(file));
      } catch (error) {
        if (error instanceof ManifestError) failures.push(error);
        else throw error;
      }
    }
    const byName = new Map<string, LoadedManifest>();
    const crossProblems = new Map<string, FileProblem[]>();
    const add = (file: string, problem: FileProblem) =>
      crossProblems.set(file, [...(crossProblems.get(file) ?? []), problem]);
    for (const entry of loaded) {
      const other = byName.get(entry.manifest.name);
      if (other)
        add(
          entry.file,
          at(entry.locate, ['name'], `agent "${entry.manifest.name}" is also defined in ${other.file}`),
        );
      else byName.set(entry.manifest.name, entry);
    }
    const names = [...byName.keys()];
    for (const entry of loaded) {
      entry.manifest.delegates.forEach((name, i) => {
        if (!byName.has(name)) {
          add(
            entry.file,
            at(
              entry.locate,
              ['delegates', i],
              `unknown agent "${name}" (known: ${names.join(', ') || 'none'})`,
            ),
          );
        }
      });
      entry.manifest.tools.forEach((name, i) => {
        if (!knownTools.has(name)) {
          add(
            entry.file,
            at(
              entry.locate,
              ['tools', i],
              `unknown tool "${name}" (available: ${[...knownTools].join(', ')})`,
            ),
          );
        }
      });
    }
    for (const [file, problems] of crossProblems) failures.push(new ManifestError(file, problems));
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new ManifestSetError(failures);
    return new AgentRegistry(byName);
  }

  /** Loads `dir/*.yaml|yml|json`; a missing directory is an empty registry. */
  static fromDirectory(dir: string, knownTools: ReadonlySet<string>): AgentRegistry {
    return AgentRegistry.fromFiles(manifestFiles(dir), knownTools);
  }

  get(name: string): AgentManifest {
    const entry = this.agents.get(name);
    if (!entry) throw new UnknownAgentError(name, this.names());
    return entry.manifest;
  }

  has(name: string): boolean {
    return this.agents.has(name);
  }

  names(): string[] {
    return [...this.agents.keys()].sort();
  }

  list(): LoadedManifest[] {
    return this.names().map((n) => this.agents.get(n)!);
  }

  /** Every `toolSearch` entry of every manifest, normalised. */
  toolSearches(): ToolSearch[] {
    return this.list().flatMap(({ manifest }) => toolSearchesOf(manifest));
  }

  /** The same agents, each also given the tools its searches found (`find` answers from the tool index). */
  withToolSearchResults(find: (matching: string, k: number) => readonly string[]): AgentRegistry {
    const found = new Map<string, Set<string>>();
    for (const s of this.toolSearches()) {
      const names = found.get(s.agent) ?? new Set<string>();
      for (const name of find(s.matching, s.k)) names.add(name);
      found.set(s.agent, names);
    }
    const agents = new Map<string, LoadedManifest>();
    for (const [name, entry] of this.agents) {
      const extra = [...(found.get(name) ?? [])].filter((t) => !entry.manifest.tools.includes(t));
      agents.set(
        name,
        extra.length
          ? { ...entry, manifest: { ...entry.manifest, tools: [...entry.manifest.tools, ...extra] } }
          : entry,
      );
    }
    return new AgentRegistry(agents);
  }
}

export interface ToolSearch {
  agent: string;
  matching: string;
  k: number;
}

/** A manifest's `toolSearch` entries, with the default k filled in. */
export function toolSearchesOf(manifest: AgentManifest): ToolSearch[] {
  return manifest.toolSearch.map((s) =>
    typeof s === 'string' ? { agent: manifest.name, matching: s, k: 3 } : { agent: manifest.name, ...s },
  );
}

export function manifestFiles(dir: string): string[] {
  const abs = resolve(dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs)
    .filter((f) => MANIFEST_EXTENSIONS.has(extname(f)))
    .sort()
    .map((f) => join(abs, f));
}

function at(locate: Locator, path: (string | number)[], message: string): FileProblem {
  const pos = locate(path);
  return { path: path.join('.'), message, ...(pos ? { line: pos.line, column: pos.col } : {}) };
}
