import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';

const dir = () => mkdtempSync(join(tmpdir(), 'swarm-config-'));

describe('loadConfig', () => {
  it('runs on defaults without a file', () => {
    const config = loadConfig({ cwd: dir() });
    expect(config.file).toBeUndefined();
    expect(config.limits.maxDepth).toBe(8);
    expect(config.store).toBe('.swarm/swarm.db');
  });

  it('reads providers, aliases and prices', () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, 'swarm.config.yaml'),
      'defaultModel: fast\nmodels:\n  fast: [local:qwen, openai:gpt-4.1-mini]\nproviders:\n  local:\n    type: openai-compatible\n    baseURL: http://127.0.0.1:8000/v1\nprices:\n  local:qwen: { input: 0.1, output: 0.2 }\n',
    );
    const config = loadConfig({ cwd });
    expect(config.models.fast).toEqual(['local:qwen', 'openai:gpt-4.1-mini']);
    expect(config.providers.local?.type).toBe('openai-compatible');
    expect(config.prices['local:qwen']?.output).toBe(0.2);
  });

  it('names the line and field of each problem', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'swarm.config.yaml'), 'providers:\n  x:\n    type: ollama\nbudget:\n  usd: -1\n');
    let error: ConfigError | undefined;
    try {
      loadConfig({ cwd });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.problems.map((p) => [p.path, p.line])).toEqual([
      ['providers.x.type', 3],
      ['budget.usd', 5],
    ]);
  });

  it('refuses an API key written into the file instead of an environment variable name', () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'c.yaml'), 'providers:\n  o:\n    type: openai\n    apiKeyEnv: sk-live-123\n');
    expect(() => loadConfig({ cwd, file: 'c.yaml' })).toThrow(/must be an environment variable name/);
  });

  it('fails clearly when an explicit file is missing', () => {
    expect(() => loadConfig({ cwd: dir(), file: 'nope.yaml' })).toThrow(
      /nope\.yaml is not valid:\n.*file not found/,
    );
  });
});
