import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiAuth,
  newApiKey,
  ServerKeyRequiredError,
  startServer,
  UnauthorizedError,
  WebBuildMissingError,
} from '../../src/server/index.js';
import { type ServerHarness, startServerHarness } from '../support/server-harness.js';
import { readSse } from '../support/server-sse-client.js';
import { delegationAgents } from './scenarios.js';

const SECRET = 'vault-7f3a9c1e5b2d8f4a6c0e';
const key = newApiKey('ops');
let s: ServerHarness;

beforeAll(async () => {
  s = await startServerHarness({
    agents: { ...delegationAgents, leaker: { tools: ['read_file'] } },
    providers: {
      vault: { type: 'openai-compatible', baseURL: 'http://127.0.0.1:9', apiKeyEnv: 'VAULT_API_KEY' },
    },
    server: { env: { SWARM_SERVER_KEY_HASH: key.hash, VAULT_API_KEY: SECRET } },
    bearer: key.key,
    scenario: {
      rules: [
        // the model echoes what the tool said, which names the secret it was asked to read
        {
          match: { system: 'You are leaker', lastToolResult: '.' },
          reply: { content: 'the tool said: {{lastToolResult}}' },
        },
        {
          match: { system: 'You are leaker' },
          reply: { toolCalls: [{ name: 'read_file', arguments: { path: `notes-${SECRET}.txt` } }] },
        },
      ],
    },
  });
});
afterAll(async () => {
  await s?.close();
});

describe('API key', () => {
  it('answers 401 without the key, with a wrong key, and on every protected path', async () => {
    for (const path of ['/api/runs', '/api/events/stream', '/openapi.json', '/api/fleet']) {
      const res = await fetch(`${s.url}${path}`);
      expect(res.status, path).toBe(401);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('unauthorized');
      expect(body.error.message).toMatch(/requires an API key: send it as a bearer token/);
    }
    const wrong = await fetch(`${s.url}/api/runs`, {
      headers: { authorization: `Bearer ${newApiKey('ops').key}` },
    });
    expect(wrong.status).toBe(401);
    const garbage = await fetch(`${s.url}/api/runs`, { headers: { authorization: 'Bearer nonsense' } });
    expect(garbage.status).toBe(401);
    const post = await fetch(`${s.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agent: 'lead', task: 'sneaky' }),
    });
    expect(post.status).toBe(401);
    expect(s.h.runtime.store.listRuns().some((r) => r.task === 'sneaky')).toBe(false);
    const ok = await s.api('/api/server');
    expect(ok.status).toBe(200);
    expect(ok.body.authRequired).toBe(true);
    expect(ok.text).not.toContain(key.hash.split(':')[2]);
  });

  it('refuses to listen beyond loopback without a key, and accepts a key there', async () => {
    await expect(
      startServer({
        runtime: s.h.runtime,
        agentsDir: s.h.dir,
        host: '0.0.0.0',
        port: 0,
        webDir: false,
        env: {},
      }),
    ).rejects.toBeInstanceOf(ServerKeyRequiredError);
    expect(() => new ApiAuth('192.168.1.20', undefined)).toThrow(ServerKeyRequiredError);
    const auth = new ApiAuth('192.168.1.20', key.hash);
    expect(() => auth.check(undefined)).toThrow(UnauthorizedError);
    expect(() => auth.check(`Bearer ${key.key}`)).not.toThrow();
    expect(() => new ApiAuth('127.0.0.1', undefined).check(undefined)).not.toThrow();
  });

  it('says how to build the dashboard when web/dist is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'swarm-web-'));
    try {
      const error = await startServer({
        runtime: s.h.runtime,
        agentsDir: s.h.dir,
        port: 0,
        webDir: empty,
        env: {},
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WebBuildMissingError);
      expect((error as Error & { hint: string }).hint).toMatch(/run npm run build/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('secrets', () => {
  it('never sends a provider key, even when a tool and the model echo it', async () => {
    const start = await s.api('/api/runs', {
      method: 'POST',
      json: { agent: 'leaker', task: 'read the notes' },
    });
    const runId = start.body.runId as string;
    const frames: string[] = [];
    await readSse(`${s.url}/api/runs/${runId}/events/stream`, {
      headers: { authorization: `Bearer ${key.key}` },
      onEvent(e) {
        frames.push(e.data);
        return e.data.includes('"run.finished"');
      },
    });
    // the store holds the secret (so this test would catch a leak), the API never shows it
    const stored =
      JSON.stringify(s.h.runtime.store.events(runId)) + JSON.stringify(s.h.runtime.store.getRun(runId));
    expect(stored).toContain(SECRET);
    const responses = [
      frames.join('\n'),
      (await s.api(`/api/runs/${runId}`)).text,
      (await s.api(`/api/runs/${runId}/events`)).text,
      (await s.api('/api/runs')).text,
      (await s.api('/api/swarm')).text,
      (await s.api('/api/costs?by=run')).text,
      (await s.api('/openapi.json')).text,
    ];
    for (const text of responses) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(key.key);
    }
    expect(responses[0]).toContain('[REDACTED]');
    expect(responses[1]).toContain('[REDACTED]');
  });
});
