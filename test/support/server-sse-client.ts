export interface SseEvent {
  id: string | undefined;
  data: string;
}

/**
 * A minimal SSE client over fetch (EventSource cannot send headers): calls
 * `onEvent` for each event until it returns true or `signal` aborts, then
 * drops the connection, as a client that goes away does.
 */
export async function readSse(
  url: string,
  options: {
    headers?: Record<string, string>;
    lastEventId?: string;
    signal?: AbortSignal;
    onEvent(event: SseEvent): boolean | undefined;
  },
): Promise<{ status: number }> {
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const res = await fetch(url, {
    headers: {
      accept: 'text/event-stream',
      ...options.headers,
      ...(options.lastEventId === undefined ? {} : { 'last-event-id': options.lastEventId }),
    },
    signal: controller.signal,
  });
  if (!res.ok || !res.body) return { status: res.status };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { status: res.status };
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        let id: string | undefined;
        const data: string[] = [];
        for (const line of frame.split('\n')) {
          if (line.startsWith('id:')) id = line.slice(3).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
        }
        if (data.length === 0) continue;
        if (options.onEvent({ id, data: data.join('\n') })) return { status: res.status };
      }
    }
  } catch (error) {
    if (controller.signal.aborted) return { status: res.status };
    throw error;
  } finally {
    controller.abort();
  }
}
