import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Observability, startObservability } from '../../src/observe/index.js';
import { defineTool } from '../../src/tools/tool.js';
import { type Harness, startHarness } from '../support/harness.js';

const ENV_NAME = 'SWARM_TEST_PROVIDER_KEY';
const ENV_SECRET = 'plain-looking-value-7f3a9c';
const SK = 'sk-proj-Zx81bQ0a9YtW3vLm';
const BEARER = 'Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig';
const HEADER_SECRET = 'header-secret-from-config-42';

let h: Harness | undefined;
let obs: Observability | undefined;
afterEach(async () => {
  await obs?.close();
  await h?.close();
  obs = undefined;
  h = undefined;
  delete process.env[ENV_NAME];
});

const deploy = defineTool({
  name: 'deploy',
  description: 'deploys with credentials',
  input: z.object({ target: z.string(), headers: z.record(z.string(), z.string()) }),
  sideEffects: true,
  async execute({ target }) {
    return `deployed ${target} using ${ENV_SECRET}`;
  },
});

describe('secrets never reach the store, the spans or the audit log', () => {
  it('redacts keys from config and environment, sk- keys and Authorization values everywhere', async () => {
    process.env[ENV_NAME] = ENV_SECRET;
    const task = `deploy with ${SK}, header Authorization: ${BEARER} and key ${ENV_SECRET} and ${HEADER_SECRET}`;
    h = await startHarness({
      agents: { ops: { tools: ['deploy'] } },
      tools: [deploy],
      scenario: {
        rules: [
          {
            match: { lastToolResult: 'deployed' },
            reply: { content: `done; the key was ${ENV_SECRET} and ${SK}` },
          },
          {
            reply: {
              toolCalls: [
                {
                  name: 'deploy',
                  arguments: { target: 'prod', headers: { Authorization: BEARER, 'x-api-key': ENV_SECRET } },
                },
              ],
            },
          },
        ],
      },
    });
    const exporter = new InMemorySpanExporter();
    const config = {
      ...h.runtime.config,
      providers: {
        ...h.runtime.config.providers,
        vendor: {
          type: 'openai-compatible' as const,
          apiKeyEnv: ENV_NAME,
          headers: { 'x-vendor-auth': HEADER_SECRET },
        },
      },
      audit: { enabled: true, file: join(h.dir, 'audit.jsonl') },
    };
    obs = await startObservability({
      events: h.runtime.events,
      config,
      tools: h.runtime.tools,
      tracing: { exporters: [exporter], exportEachSpan: true },
    });
    const outcome = await h.run('ops', task);
    expect(outcome.outcome).toBe('succeeded');
    const spans = exporter.getFinishedSpans();
    await obs.close();
    obs = undefined;

    const stored = JSON.stringify([
      h.runtime.store.events(outcome.runId),
      h.runtime.store.getRun(outcome.runId),
    ]);
    const traced = JSON.stringify(
      spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
    );
    const audited = readFileSync(join(h.dir, 'audit.jsonl'), 'utf8');
    // the run really carried the secrets, so their absence is the redaction's doing
    expect(h.events.some((e) => JSON.stringify(e.data).includes(ENV_SECRET))).toBe(true);
    expect(h.events.some((e) => JSON.stringify(e.data).includes(HEADER_SECRET))).toBe(true);
    expect(audited).toContain('"tool":"deploy"');
    // the tracer and the audit log are set up from this config, so they know its header value too
    expect(traced).not.toContain(HEADER_SECRET);
    expect(audited).not.toContain(HEADER_SECRET);
    for (const [where, text] of [
      ['store', stored],
      ['spans', traced],
      ['audit', audited],
    ] as const) {
      expect(text, where).toContain('[REDACTED]');
      for (const secret of [ENV_SECRET, SK, 'eyJhbGciOiJIUzI1NiJ9', 'sk-proj-'])
        expect(text, `${where}: ${secret}`).not.toContain(secret);
    }
  });
});
