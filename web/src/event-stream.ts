import { authHeaders } from './api';
import type { ApiEvent } from './types';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'unauthorized' | 'failed';

export interface StreamOptions {
  /** Resume after this event id; undefined lets the server choose (live only, or a run's whole history). */
  lastEventId?: number;
  /** Called once per network chunk with every event it completed. */
  onEvents(events: ApiEvent[]): void;
  onStatus?(status: StreamStatus, detail?: string): void;
}

/**
 * Server-Sent Events over fetch (EventSource cannot send the API key). It
 * reconnects on its own with the last id it saw, so the server resends
 * exactly what was missed. Returns the function that closes it.
 */
export function openEventStream(path: string, options: StreamOptions): () => void {
  const controller = new AbortController();
  let lastId = options.lastEventId;
  let retryMs = 1000;
  const status = (s: StreamStatus, detail?: string) => options.onStatus?.(s, detail);

  const connect = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      try {
        const res = await fetch(path, {
          headers: {
            accept: 'text/event-stream',
            ...authHeaders(),
            ...(lastId === undefined ? {} : { 'last-event-id': String(lastId) }),
          },
          signal: controller.signal,
        });
        if (res.status === 401) {
          status('unauthorized');
          return;
        }
        if (!res.ok || !res.body) {
          const body = (await res.json().catch(() => undefined)) as
            | { error?: { message?: string } }
            | undefined;
          status('failed', body?.error?.message ?? `HTTP ${res.status}`);
          if (res.status === 404 || res.status === 400) return;
        } else {
          status('live');
          await readFrames(
            res.body,
            (events) => {
              const last = events[events.length - 1];
              if (last) lastId = last.seq;
              options.onEvents(events);
            },
            (ms) => {
              retryMs = ms;
            },
          );
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        status('reconnecting', error instanceof Error ? error.message : String(error));
      }
      if (controller.signal.aborted) return;
      status('reconnecting');
      await new Promise((r) => setTimeout(r, retryMs));
    }
  };
  void connect();
  return () => controller.abort();
}

async function readFrames(
  body: ReadableStream<Uint8Array>,
  onEvents: (events: ApiEvent[]) => void,
  onRetry: (ms: number) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    const events: ApiEvent[] = [];
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      let data = '';
      for (const line of frame.split('\n')) {
        if (line.startsWith('data:')) data += line.slice(5).trimStart();
        else if (line.startsWith('retry:')) onRetry(Number(line.slice(6)) || 1000);
      }
      if (data) events.push(JSON.parse(data) as ApiEvent);
    }
    if (events.length > 0) onEvents(events);
  }
}
