import type { IncomingHttpHeaders } from 'node:http';

export interface RecordedRequest {
  seq: number;
  /** ISO time the request arrived. */
  time: string;
  method: string;
  /** Path with query string, as sent. */
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON, the raw text when it was not JSON, or null when there was no body. */
  body: unknown;
  /** The rule's name or `rules[i]`, `fallback`, or null when no rule was consulted. */
  rule: string | null;
}

// Credentials never reach the log, which tests print and child processes serve over HTTP.
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'cookie']);
// A long demo or load test must not grow the log without bound.
const MAX_ENTRIES = 10_000;

export class RequestLog {
  private entries: RecordedRequest[] = [];
  private seq = 0;

  record(method: string, path: string, headers: IncomingHttpHeaders, body: unknown): RecordedRequest {
    const kept: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined && !SECRET_HEADERS.has(name))
        kept[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    this.seq += 1;
    const entry: RecordedRequest = {
      seq: this.seq,
      time: new Date().toISOString(),
      method,
      path,
      headers: kept,
      body,
      rule: null,
    };
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.shift();
    return entry;
  }

  list(): RecordedRequest[] {
    return structuredClone(this.entries);
  }

  clear(): void {
    this.entries = [];
  }
}
