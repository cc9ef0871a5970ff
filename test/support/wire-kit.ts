import { readFileSync } from 'node:fs';
import { fixturePath } from './fixtures.js';

/*
 * Helpers for tests of OpenAI wire formats: a strict SSE reader, a strict
 * Prometheus text parser, and access to the recorded real-server fixtures.
 */

export function fixtureChunks(name: string): Record<string, unknown>[] {
  return readFileSync(fixturePath('openai-sse', name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export function fixtureText(path: string): string {
  return readFileSync(fixturePath(path), 'utf8');
}

export function postJson(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string> | undefined) },
    body: JSON.stringify(body),
  });
}

export interface SseResult {
  /** `data:` payloads before `[DONE]`, as text. */
  payloads: string[];
  done: boolean;
  /** Set when the body could not be read to its end (connection dropped or aborted). */
  error: unknown;
}

/** Reads an SSE body; every event must be a single `data:` line, as OpenAI-compatible servers send. */
export async function readSse(res: Response, onPayload?: (count: number) => void): Promise<SseResult> {
  const result: SseResult = { payloads: [], done: false, error: undefined };
  if (!res.body) throw new Error('response has no body');
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const bytes of res.body) {
      buffer += decoder.decode(bytes, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        if (!event.startsWith('data: ') || event.includes('\n'))
          throw new Error(`not an SSE data event: ${event}`);
        const data = event.slice('data: '.length);
        if (result.done) throw new Error(`event after [DONE]: ${data}`);
        if (data === '[DONE]') result.done = true;
        else {
          result.payloads.push(data);
          onPayload?.(result.payloads.length);
        }
      }
    }
  } catch (error) {
    result.error = error;
  }
  if (buffer !== '' && result.error === undefined) result.error = new Error(`trailing bytes: ${buffer}`);
  return result;
}

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromText {
  types: Map<string, string>;
  helps: Map<string, string>;
  samples: PromSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

/** Prometheus text format 0.0.4, strictly: a sample must follow its family's TYPE line. */
export function parsePrometheus(text: string): PromText {
  const out: PromText = { types: new Map(), helps: new Map(), samples: [] };
  for (const [n, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      (meta[1] === 'HELP' ? out.helps : out.types).set(meta[2] ?? '', (meta[3] ?? '').trim());
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`line ${n + 1} is not a sample: ${line}`);
    const name = sample[1] ?? '';
    const family = [...out.types.keys()].find((f) => name === f || name.startsWith(`${f}_`));
    if (family === undefined) throw new Error(`line ${n + 1}: ${name} has no TYPE line before it`);
    const labels: Record<string, string> = {};
    const labelText = sample[2] ?? '';
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < labelText.length) {
      const label = LABEL.exec(labelText);
      if (!label) throw new Error(`line ${n + 1}: bad labels {${labelText}}`);
      labels[label[1] ?? ''] = label[2] ?? '';
    }
    const value = Number(sample[3]);
    if (Number.isNaN(value) && sample[3] !== 'NaN') throw new Error(`line ${n + 1}: bad value ${sample[3]}`);
    out.samples.push({ name, labels, value });
  }
  return out;
}

export function sampleValue(
  prom: PromText,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return prom.samples.find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}

/** The JSON type skeleton of a value: keys and primitive types, no values. Arrays are typed by their first item. */
export function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, shapeOf((value as Record<string, unknown>)[k])]),
    );
  }
  return typeof value;
}
