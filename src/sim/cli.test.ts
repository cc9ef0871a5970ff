import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postJson } from '../../test/support/wire-kit.js';
import { runSimCli } from './cli.js';
import { SimOptionError, SimRemoteHostError } from './errors.js';
import { startSim } from './server.js';

const echoFile = join(import.meta.dirname, '../../examples/scenarios/echo.yaml');

describe('runSimCli', () => {
  it('starts the echo example and prints a one-line banner with the URL and scenario name', async () => {
    const lines: string[] = [];
    const sim = await runSimCli({ scenario: echoFile, host: '127.0.0.1', port: 0 }, (l) => lines.push(l));
    try {
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(sim.url);
      expect(lines[0]).toContain('"echo"');
      expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
      expect(sim.baseURL).toBe(`${sim.url}/v1`);
      const res = await postJson(`${sim.baseURL}/chat/completions`, {
        model: 'sim-model',
        messages: [{ role: 'user', content: 'repeat after me' }],
      });
      const body = (await res.json()) as { choices: { message: { content: string } }[] };
      expect(body.choices[0]?.message.content).toBe('repeat after me');
    } finally {
      await sim.close();
    }
  });

  it('echoes by default and says when an API key is required', async () => {
    const lines: string[] = [];
    const sim = await runSimCli({ host: 'localhost', port: 0, apiKey: 'k' }, (l) => lines.push(l));
    try {
      expect(lines[0]).toMatch(/"echo".*API key required/);
      const res = await postJson(
        `${sim.baseURL}/chat/completions`,
        { model: 'sim-model', messages: [{ role: 'user', content: 'ping' }] },
        { headers: { authorization: 'Bearer k' } },
      );
      expect(
        ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content,
      ).toBe('ping');
    } finally {
      await sim.close();
    }
  });

  it('refuses a non-loopback host unless allowRemote is given', async () => {
    await expect(runSimCli({ host: '0.0.0.0', port: 0 }, () => {})).rejects.toThrow(SimRemoteHostError);
    await expect(startSim({ scenario: {}, host: '192.168.1.10' })).rejects.toMatchObject({
      code: 'sim_remote_host',
      hint: expect.stringMatching(/allowRemote/),
    });
    const open = await runSimCli({ host: '0.0.0.0', port: 0, allowRemote: true }, () => {});
    await open.close();
  });

  it('rejects an unknown metrics style and bad options', async () => {
    await expect(runSimCli({ host: '127.0.0.1', port: 0, metricsStyle: 'v2' }, () => {})).rejects.toThrow(
      SimOptionError,
    );
    await expect(startSim({ scenario: {}, port: 70_000 })).rejects.toThrow(/port/);
  });
});
