import { describe, expect, it } from 'vitest';
import { otlpTarget, TracingConfigError } from './setup-tracing.js';
import {
  clearRunTraces,
  formatRunTrace,
  MAX_LOCAL_RUNS,
  parseRunTrace,
  registerRunTrace,
  runTraceHeaders,
  withTaskTrace,
} from './trace-context.js';

const run = {
  runId: 'run_01HZX-abc',
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  startTime: 1_764_000_000_000,
};

describe('run trace headers', () => {
  it('round-trips a run trace through traceparent and tracestate, with and without a parent', () => {
    const headers = formatRunTrace(run);
    expect(headers.traceparent).toBe(`00-${run.traceId}-${run.spanId}-01`);
    expect(headers.tracestate).toMatch(/^swarm=r[0-9a-f]+\.s[0-9a-z]+$/);
    expect(parseRunTrace(headers)).toEqual(run);
    const nested = { ...run, parentSpanId: '53995c3f42cd8ad8' };
    expect(parseRunTrace(formatRunTrace(nested))).toEqual(nested);
  });

  it('ignores headers that are missing, malformed or all-zero, and other vendors in tracestate', () => {
    const { traceparent, tracestate } = formatRunTrace(run);
    expect(parseRunTrace({})).toBeUndefined();
    expect(parseRunTrace({ traceparent })).toBeUndefined();
    expect(parseRunTrace({ traceparent: 'garbage', tracestate })).toBeUndefined();
    expect(
      parseRunTrace({ traceparent: `00-${'0'.repeat(32)}-${run.spanId}-01`, tracestate }),
    ).toBeUndefined();
    expect(parseRunTrace({ traceparent, tracestate: `vendor=abc,${tracestate},other=1` })).toEqual(run);
  });

  it('keeps at most MAX_LOCAL_RUNS unfinished runs, forgetting the oldest', () => {
    for (let i = 0; i <= MAX_LOCAL_RUNS; i++) registerRunTrace({ ...run, runId: `run_cap_${i}` });
    expect(runTraceHeaders('run_cap_0')).toEqual({});
    expect(runTraceHeaders('run_cap_1').traceparent).toBe(`00-${run.traceId}-${run.spanId}-01`);
    clearRunTraces();
    expect(runTraceHeaders('run_cap_1')).toEqual({});
  });

  it('costs nothing when the run is not traced: no headers, the task runs as is', () => {
    expect(runTraceHeaders('run_unknown')).toEqual({});
    expect(withTaskTrace({}, () => 42)).toBe(42);
  });
});

describe('otlpTarget', () => {
  it('is off by default and when disabled', () => {
    expect(otlpTarget({})).toBeUndefined();
    expect(
      otlpTarget({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }),
    ).toBeUndefined();
    expect(
      otlpTarget({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }),
    ).toBeUndefined();
  });

  it('reads the endpoint and headers from the standard variables', () => {
    expect(
      otlpTarget({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Basic%20abc, x-tenant = acme',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=beta',
      }),
    ).toEqual({
      url: 'http://collector:4318/v1/traces',
      headers: { Authorization: 'Basic abc', 'x-tenant': 'beta' },
    });
    expect(
      otlpTarget({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector/custom/path',
      })?.url,
    ).toBe('https://collector/custom/path');
  });

  it('refuses a bad endpoint or header list, without echoing header values', () => {
    expect(() => otlpTarget({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(TracingConfigError);
    expect(() => otlpTarget({ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://c' })).toThrow(/http:\/\/ or https:\/\//);
    let message = '';
    try {
      otlpTarget({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c',
        OTEL_EXPORTER_OTLP_HEADERS: 'sk-secretvalue123',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/OTEL_EXPORTER_OTLP_HEADERS/);
    expect(message).not.toContain('sk-secretvalue123');
  });
});
