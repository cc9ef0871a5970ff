import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type SimServer, startSim } from '../../src/sim/index.js';
import { writeSimProject } from '../support/sim-project.js';
import { type SwarmProcess, swarmProcess } from './swarm-process.js';

/** One span as the OTLP/HTTP JSON encoding carries it. */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
  service: Record<string, unknown>;
}

interface Receiver {
  url: string;
  spans: OtlpSpan[];
  bodies: string[];
  headers: IncomingHttpHeaders[];
  close(): Promise<void>;
}

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
};
const flatten = (attrs: { key: string; value: AnyValue }[] = []) =>
  Object.fromEntries(
    attrs.map(({ key, value }) => [
      key,
      value.stringValue ??
        (value.intValue === undefined ? undefined : Number(value.intValue)) ??
        value.doubleValue ??
        value.boolValue,
    ]),
  );

/** A loopback OTLP/HTTP collector: accepts POST /v1/traces with a JSON body and keeps the spans. */
async function startReceiver(): Promise<Receiver> {
  const received: Receiver = { url: '', spans: [], bodies: [], headers: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (
        req.method !== 'POST' ||
        req.url !== '/v1/traces' ||
        !req.headers['content-type']?.includes('json')
      ) {
        res.writeHead(415).end();
        return;
      }
      received.bodies.push(body);
      received.headers.push(req.headers);
      const parsed = JSON.parse(body) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: AnyValue }[] };
          scopeSpans: {
            spans: (Omit<OtlpSpan, 'attributes' | 'service'> & {
              attributes: { key: string; value: AnyValue }[];
            })[];
          }[];
        }[];
      };
      for (const rs of parsed.resourceSpans) {
        const service = flatten(rs.resource.attributes);
        for (const ss of rs.scopeSpans)
          for (const s of ss.spans) received.spans.push({ ...s, attributes: flatten(s.attributes), service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  received.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  received.close = () => new Promise((r) => server.close(() => r()));
  return received;
}

const SECRET = 'value-of-a-service-token-123';

let dir: string;
let sim: SimServer;
let receiver: Receiver;
const children: ChildProcess[] = [];

function swarm(args: string[], env: Record<string, string>): SwarmProcess {
  const p = swarmProcess(args, dir, env);
  children.push(p.child);
  return p;
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-otlp-'));
  receiver = await startReceiver();
  sim = await startSim({
    scenario: {
      rules: [
        // long enough that the second worker claims the other part while the first is busy, even under load
        { match: { lastUser: 'part' }, reply: { content: 'part done', latencyMs: 3000 } },
        { reply: { content: 'joined' } },
      ],
    },
  });
  writeSimProject(dir, sim.baseURL, {
    config: { limits: { leaseSeconds: 10 } },
    agents: { doer: { description: 'does', instructions: 'Do it.' } },
  });
  writeFileSync(
    join(dir, 'flow.yaml'),
    stringify({
      name: 'spread',
      steps: [
        { id: 'left', agent: 'doer', task: 'part left' },
        { id: 'right', agent: 'doer', task: 'part right' },
        {
          id: 'join',
          agent: 'doer',
          task: `join with key sk-live-0123456789abcdef and ${SECRET}`,
          needs: ['left', 'right'],
        },
      ],
    }),
  );
}, 30_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await receiver?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('OTLP/HTTP export across worker processes', () => {
  it('delivers one trace from two `swarm worker` processes to a collector, with secrets redacted', async () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-tenant=acme',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_SERVICE_NAME: 'swarm-test',
      MY_SERVICE_TOKEN: SECRET,
    };
    const workers = [0, 1].map(() => swarm(['worker', '--concurrency', '1', '--no-scheduler'], env));
    for (const w of workers)
      await until(() => w.output().includes('Ctrl-C or SIGTERM to stop'), 'a worker to start');
    const start = swarm(['workflow', 'run', 'flow.yaml', '--detach'], env);
    const started = await start.done;
    expect(started.code, started.stderr).toBe(0);
    const runId = started.stdout.trim();

    await until(() => receiver.spans.some((s) => s.name === 'swarm.run'), 'the run span');
    for (const w of workers) w.child.kill('SIGTERM');
    for (const w of workers) expect((await w.done).code).toBe(0);

    const spans = receiver.spans;
    const run = spans.find((s) => s.name === 'swarm.run')!;
    expect(run.attributes['swarm.run_id']).toBe(runId);
    expect(run.parentSpanId ?? '').toBe('');
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([run.traceId]));
    const steps = spans.filter((s) => s.name.startsWith('swarm.workflow.step '));
    expect(steps.map((s) => s.name).sort()).toEqual(
      ['swarm.workflow.step join', 'swarm.workflow.step left', 'swarm.workflow.step right'].sort(),
    );
    for (const s of steps) expect(s.parentSpanId).toBe(run.spanId);
    // the two parallel steps ran in different processes, and each sent its own spans
    const instance = (name: string) => spans.find((s) => s.name === name)!.service['service.instance.id'];
    expect(instance('swarm.workflow.step left')).not.toBe(instance('swarm.workflow.step right'));
    expect(new Set(spans.map((s) => s.service['service.name']))).toEqual(new Set(['swarm-test']));
    const agents = spans.filter((s) => s.name === 'invoke_agent doer');
    expect(agents).toHaveLength(3);
    for (const a of agents) expect(steps.map((s) => s.spanId)).toContain(a.parentSpanId);
    const chats = spans.filter((s) => s.name === 'chat sim-model');
    expect(chats).toHaveLength(3);
    for (const c of chats) expect(c.attributes['gen_ai.request.model']).toBe('sim-model');

    expect(receiver.headers.every((h) => h['x-collector-tenant'] === 'acme')).toBe(true);
    const all = receiver.bodies.join('\n');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain('sk-live-0123456789abcdef');
    const joinAgent = agents.find((a) => String(a.attributes['swarm.task']).startsWith('join'))!;
    expect(joinAgent.attributes['swarm.task']).toBe('join with key [REDACTED] and [REDACTED]');
  }, 90_000);
});
