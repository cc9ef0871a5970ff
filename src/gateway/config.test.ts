import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { loadGatewayConfig, parseGatewayConfig } from './config.js';

const backend = { name: 'gpu-1', url: 'http://127.0.0.1:8000/v1', models: ['m'] };

describe('gateway config', () => {
  it('fills in safe defaults', () => {
    const config = parseGatewayConfig({ backends: [backend] });
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8080, allowRemote: false });
    expect(config.scrape.intervalMs).toBe(1_000);
    expect(config.routing.default.policy).toBe('least-loaded');
    expect(config.keys).toEqual([]);
  });

  it('checks which fields each kind of backend takes', () => {
    const problems = (b: Record<string, unknown>) => {
      try {
        parseGatewayConfig({ backends: [b] });
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(problems({ name: 'c', type: 'provider', models: ['m'] })).toMatch(
      /backends\.0\.provider.*anthropic/,
    );
    expect(problems({ name: 'c', models: ['m'] })).toMatch(/backends\.0\.url/);
    expect(problems({ ...backend, region: 'eu-west-1' })).toMatch(
      /only a backend of type provider takes region/,
    );
    expect(
      problems({ name: 'c', type: 'provider', provider: 'bedrock', region: 'eu-west-1', models: ['m'] }),
    ).toBe('');
  });

  it('names each wrong field', () => {
    const attempt = () =>
      parseGatewayConfig({
        backends: [backend, { ...backend, url: 'ftp://x', weight: 0 }],
        routing: { models: { ghost: { policy: 'fastest' } } },
        keys: [{ id: 'k', hash: 'plaintext-key' }],
      });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const path of [
      'backends.1.url',
      'backends.1.weight',
      'routing.models.ghost.policy',
      'keys.0.hash',
    ]) {
      expect(message).toContain(path);
    }
  });

  it('catches references to models no backend serves, duplicate names and unscraped metrics URLs', () => {
    expect(() => parseGatewayConfig({ backends: [backend, backend] })).toThrow(
      /duplicate backend name "gpu-1"/,
    );
    expect(() => parseGatewayConfig({ backends: [backend], routing: { models: { other: {} } } })).toThrow(
      /no backend serves "other"/,
    );
    expect(() =>
      parseGatewayConfig({ backends: [{ ...backend, metricsUrl: 'http://127.0.0.1:1/metrics' }] }),
    ).toThrow(/only vllm and llamacpp/);
  });

  it('reads a file of its own or the gateway: section of a swarm config, with line numbers on errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarm-gw-'));
    writeFileSync(
      join(dir, 'gateway.yaml'),
      'backends:\n  - name: a\n    url: http://127.0.0.1:1/v1\n    models: [m]\n',
    );
    expect(loadGatewayConfig({ cwd: dir }).config.backends[0]?.name).toBe('a');
    writeFileSync(
      join(dir, 'swarm.config.yaml'),
      'defaultModel: x\ngateway:\n  backends:\n    - name: b\n      url: http://127.0.0.1:1/v1\n      models: [m]\n',
    );
    expect(loadGatewayConfig({ cwd: dir, file: 'swarm.config.yaml' }).config.backends[0]?.name).toBe('b');
    // Key state goes where the swarm config's engine is, else to .swarm/swarm.db under the working directory.
    expect(loadGatewayConfig({ cwd: dir }).config.state.engine).toBe(
      `sqlite:${join(dir, '.swarm/swarm.db')}`,
    );
    writeFileSync(
      join(dir, 'nested.yaml'),
      'engine: nats://127.0.0.1:4222\ngateway:\n  backends:\n    - name: b\n      url: http://127.0.0.1:1/v1\n      models: [m]\n',
    );
    expect(loadGatewayConfig({ cwd: dir, file: 'nested.yaml' }).config.state.engine).toBe(
      'nats://127.0.0.1:4222',
    );
    expect(parseGatewayConfig({ backends: [backend] }).state).toEqual({ bucket: 'gateway' });
    writeFileSync(join(dir, 'bad.yaml'), 'backends:\n  - name: a\n    url: nowhere\n    models: [m]\n');
    expect(() => loadGatewayConfig({ cwd: dir, file: 'bad.yaml' })).toThrow(
      /bad\.yaml:3:\d+ backends\.0\.url/,
    );
    expect(() => loadGatewayConfig({ cwd: dir, file: 'missing.yaml' })).toThrow(/file not found/);
  });
});
