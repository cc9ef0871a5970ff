import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidFileError } from '../core/errors.js';
import { ScenarioNotFoundError } from './errors.js';
import { loadScenario, parseScenario } from './scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'swarm-sim-scenario-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidFileError);
    return error as InvalidFileError;
  }
  throw new Error('expected an InvalidFileError');
}

describe('scenarios', () => {
  it('fills in defaults for an empty scenario', () => {
    const s = parseScenario({});
    expect(s.name).toBe('scenario');
    expect(s.models).toEqual(['sim-model']);
    expect(s.defaults).toEqual({ latencyMs: 0, chunkDelayMs: 0, chunkSize: 8 });
    expect(s.rules).toEqual([]);
    expect(s.fallback.content).toContain('{{lastUser}}');
    expect(s.maxConcurrency).toBeUndefined();
  });

  it('loads YAML, names an unnamed scenario after its file and keeps fault defaults', () => {
    const s = loadScenario(
      file(
        'cutter.yaml',
        ['rules:', '  - match: { request: 2 }', '    times: 1', '    fault: { type: cut }', ''].join('\n'),
      ),
    );
    expect(s.name).toBe('cutter');
    expect(s.rules[0]?.fault).toEqual({ type: 'cut', afterChunks: 0 });
    expect(s.rules[0]?.match).toEqual({ request: 2 });
  });

  it('loads JSON scenarios too', () => {
    const s = loadScenario(file('j.json', JSON.stringify({ name: 'j', models: ['a', 'b'] })));
    expect(s.models).toEqual(['a', 'b']);
  });

  it('names the line and field of a bad value in a file', () => {
    const path = file(
      'bad.yaml',
      [
        'name: bad',
        'rules:',
        '  - reply: { content: ok }',
        '  - match:',
        '      lastUser: "review"',
        '    times: zero',
        '    reply: { content: x }',
        '',
      ].join('\n'),
    );
    const error = problemsOf(() => loadScenario(path));
    expect(error.code).toBe('invalid_scenario');
    expect(error.problems).toEqual([expect.objectContaining({ path: 'rules.1.times', line: 6 })]);
    expect(error.message).toContain(`${path}:6`);
    expect(error.message).toContain('rules.1.times');
    expect(error.hint).toBeTruthy();
  });

  it('rejects typos, bad regexes, unknown placeholders and empty rules', () => {
    const path = file(
      'typos.yaml',
      [
        'models: [m1]',
        'rules:',
        '  - match: { lastUsr: x }',
        '    reply: { content: a }',
        '  - match: { system: "(" }',
        '    reply: { content: a }',
        '  - reply: { content: "hi {{lastUsre}}" }',
        '  - match: { request: 1 }',
        '',
      ].join('\n'),
    );
    const error = problemsOf(() => loadScenario(path));
    const byPath = Object.fromEntries(error.problems.map((p) => [p.path, p]));
    expect(byPath['rules.0.match']?.message).toMatch(/lastUsr/);
    expect(byPath['rules.1.match.system']).toMatchObject({
      line: 5,
      message: expect.stringMatching(/regular/),
    });
    expect(byPath['rules.2.reply.content']).toMatchObject({
      line: 7,
      message: expect.stringMatching(/lastUsre/),
    });
    expect(byPath['rules.3']).toMatchObject({ line: 8, message: expect.stringMatching(/reply, a fault/) });
  });

  it('reports a rule model that is not served', () => {
    const error = problemsOf(() =>
      parseScenario({ models: ['m1'], rules: [{ match: { model: 'm2' }, reply: {} }] }),
    );
    expect(error.problems).toEqual([
      expect.objectContaining({ path: 'rules.0.match.model', message: expect.stringMatching(/m2.*m1/) }),
    ]);
  });

  it('reports a YAML syntax error with its line', () => {
    const path = file('syntax.yaml', 'name: x\nrules: [\n  - reply\n');
    const error = problemsOf(() => loadScenario(path));
    expect(error.problems[0]?.line).toBeGreaterThan(1);
  });

  it('says clearly when the file is missing', () => {
    expect(() => loadScenario(join(dir, 'nope.yaml'))).toThrow(ScenarioNotFoundError);
  });

  it('loads every example scenario', () => {
    const examples = join(import.meta.dirname, '../../examples/scenarios');
    const files = readdirSync(examples).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files).toContain('echo.yaml');
    for (const f of files) expect(loadScenario(join(examples, f)).rules.length).toBeGreaterThan(0);
  });
});
