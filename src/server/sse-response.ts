import { type EventFeed, type FeedClient, MAX_BUFFERED_BYTES } from './event-feed.js';

const encoder = new TextEncoder();
const KEEP_ALIVE_MS = 15_000;

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/** An SSE response fed by `feed`; it leaves the feed when the client goes away. */
export function sseResponse(
  feed: EventFeed,
  runId: string | undefined,
  lastSeq: number | undefined,
): Response {
  let closed = false;
  let leave = () => {};
  let keepAlive: NodeJS.Timeout | undefined;
  const stop = () => {
    closed = true;
    clearInterval(keepAlive);
    leave();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const client: FeedClient = {
          runId,
          send(chunk) {
            if (closed || (controller.desiredSize ?? 0) <= 0) return false;
            controller.enqueue(chunk);
            return true;
          },
          close() {
            if (closed) return;
            stop();
            try {
              controller.close();
            } catch {
              // already closed by the client going away
            }
          },
        };
        controller.enqueue(encoder.encode('retry: 1000\n\n'));
        leave = feed.join(client, lastSeq);
        keepAlive = setInterval(() => client.send(encoder.encode(': keep-alive\n\n')), KEEP_ALIVE_MS);
        keepAlive.unref();
      },
      cancel() {
        stop();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: MAX_BUFFERED_BYTES }),
  );
  return new Response(stream, { status: 200, headers: SSE_HEADERS });
}
