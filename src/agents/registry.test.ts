import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestError, ManifestSetError, UnknownAgentError } from './errors.js';
import { manifestJsonSchema } from './manifest.js';
import { AgentRegistry } from './registry.js';

const tools = new Set(['read_file', 'list_files']);

function files(contents: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-manifests-'));
  return Object.entries(contents).map(([name, text]) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  });
}

function problemsOf(fn: () => unknown): ManifestError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error('expected a ManifestError');
}

const valid = (name: string, extra = '') => `name: ${name}\ndescription: d\ninstructions: i\n${extra}`;

describe('AgentRegistry', () => {
  it('loads YAML and JSON manifests with defaults', () => {
    const registry = AgentRegistry.fromFiles(
      files({
        'a.yaml': valid('a', 'delegates: [b]\ntools: [read_file]\n'),
        'b.json': JSON.stringify({ name: 'b', description: 'd', instructions: 'i', model: ['x:y', 'z:w'] }),
      }),
      tools,
    );
    expect(registry.names()).toEqual(['a', 'b']);
    expect(registry.get('a').delegates).toEqual(['b']);
    expect(registry.get('b').model).toEqual(['x:y', 'z:w']);
    expect(registry.get('b').tools).toEqual([]);
    expect(() => registry.get('c')).toThrow(UnknownAgentError);
  });

  it('reports malformed YAML with its line', () => {
    const error = problemsOf(() =>
      AgentRegistry.fromFiles(files({ 'bad.yaml': 'name: a\ndescription: [unclosed\n' }), tools),
    );
    expect(error.problems[0]?.line).toBeGreaterThanOrEqual(2);
    expect(error.message).toMatch(/bad\.yaml:\d+:\d+/);
  });

  it('names the file, line and field of a wrong value', () => {
    const error = problemsOf(() =>
      AgentRegistry.fromFiles(
        files({ 'x.yaml': valid('x', 'temperature: 7\nlimits:\n  maxSteps: 0\n') }),
        tools,
      ),
    );
    expect(error.problems.map((p) => [p.path, p.line])).toEqual([
      ['temperature', 4],
      ['limits.maxSteps', 6],
    ]);
  });

  it('rejects unknown fields instead of ignoring a typo', () => {
    const error = problemsOf(() =>
      AgentRegistry.fromFiles(files({ 'x.yaml': valid('x', 'delegate: [y]\n') }), tools),
    );
    expect(error.message).toMatch(/delegate/);
  });

  it('reports delegation to an unknown agent at its line', () => {
    const error = problemsOf(() =>
      AgentRegistry.fromFiles(files({ 'a.yaml': valid('a', 'delegates:\n  - ghost\n') }), tools),
    );
    expect(error.problems[0]).toMatchObject({ path: 'delegates.0', line: 5 });
    expect(error.message).toMatch(/unknown agent "ghost"/);
  });

  it('reports unknown tools and duplicate names', () => {
    const [a, b] = files({ 'a.yaml': valid('a', 'tools: [rm_rf]\n'), 'b.yaml': valid('a') });
    let caught: unknown;
    try {
      AgentRegistry.fromFiles([a!, b!], tools);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ManifestSetError);
    const message = (caught as Error).message;
    expect(message).toMatch(/unknown tool "rm_rf"/);
    expect(message).toMatch(/agent "a" is also defined in/);
  });

  it('refuses an output schema that is not usable JSON Schema', () => {
    const error = problemsOf(() =>
      AgentRegistry.fromFiles(files({ 'a.yaml': valid('a', 'output:\n  schema:\n    type: 42\n') }), tools),
    );
    expect(error.problems[0]?.path).toBe('output.schema');
  });

  it('keeps the committed JSON Schema for editors in step with the manifest schema', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../schemas/agent-manifest.schema.json', import.meta.url), 'utf8'),
    );
    expect(committed).toEqual(manifestJsonSchema());
  });
});
