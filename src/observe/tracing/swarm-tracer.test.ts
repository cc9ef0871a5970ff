import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { type AnyEvent, EventBus } from '../../core/events.js';
import { SecretRedactor } from '../redact.js';
import { SwarmMetrics } from '../swarm-metrics.js';
import { setupTracing, type TracingHandle, tracingActive } from './setup-tracing.js';
import { SwarmTracer } from './swarm-tracer.js';

let tracing: TracingHandle | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

/** Events at T + offset ms; real events carry epoch milliseconds. */
const T = 1_764_000_000_000;
const at = (type: string, offset: number, data: Record<string, unknown>, nodeId = 'node_a') =>
  ({ type, runId: 'run_c', nodeId, agent: 'solo', depth: 0, ts: T + offset, data }) as unknown as AnyEvent;

describe('SwarmTracer', () => {
  it('gives a cached answer its own chat span in its step, with no tokens and the cache source', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = await setupTracing({ exporters: [exporter], exportEachSpan: true });
    const bus = new EventBus((error) => {
      throw error;
    });
    new SwarmTracer(tracing!, new SecretRedactor()).attach(bus);
    const metrics = new SwarmMetrics();
    metrics.attach(bus);
    bus.emit(at('run.started', 1000, { task: 't', tenantId: 'default', budget: {} }));
    bus.emit(at('agent.started', 1001, { task: 't', fingerprint: 'abcdefabcdef' }));
    bus.emit(at('model.cached', 1010, { model: 'sim:m', source: 'exact', latencyMs: 4 }));
    bus.emit(at('agent.step', 1011, { step: 1, finishReason: 'stop', toolCalls: 0, text: 'hi' }));
    bus.emit(at('agent.finished', 1012, { outcome: 'succeeded', output: 'hi' }));
    bus.emit(at('run.finished', 1013, { outcome: 'succeeded', output: 'hi' }));
    const spans = exporter.getFinishedSpans();
    const chat = spans.find((s) => s.name === 'chat m')!;
    const step = spans.find((s) => s.name === 'swarm.agent.step solo')!;
    expect(chat.parentSpanContext?.spanId).toBe(step.spanContext().spanId);
    expect(chat.attributes).toMatchObject({
      'swarm.cache': 'exact',
      'gen_ai.usage.input_tokens': 0,
      'swarm.cost_usd': 0,
    });
    // the cached answer took 4 ms and ended at T + 1010; its step starts with it
    expect(chat.startTime).toEqual([(T + 1006 - 6) / 1000, 6_000_000]);
    expect(step.startTime).toEqual(chat.startTime);
    expect(await metrics.render()).toContain('swarm_model_cache_hits_total{model="sim:m",source="exact"} 1');
  });

  it('shares one provider between callers in a process until the last one shuts it down', async () => {
    const exporter = new InMemorySpanExporter();
    const first = await setupTracing({ exporters: [exporter], exportEachSpan: true });
    const second = await setupTracing({ exporters: [new InMemorySpanExporter()] });
    expect(second!.tracer).toBe(first!.tracer);
    await first!.shutdown();
    await first!.shutdown();
    expect(tracingActive()).toBe(true);
    second!.tracer.startSpan('still traced').end();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['still traced']);
    await second!.shutdown();
    expect(tracingActive()).toBe(false);
  });
});
