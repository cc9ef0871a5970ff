import type { SecretRedactor } from '../observe/index.js';
import type { ApiEvent } from './schemas.js';
import type { StoreReader } from './store-reader.js';

const BATCH = 1000;
/** A client whose unsent data passes this is dropped; it resumes from its Last-Event-ID and loses nothing. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const encoder = new TextEncoder();

export interface FeedClient {
  /** Only this run's events; all runs when undefined. */
  readonly runId: string | undefined;
  /** Hands a chunk of SSE frames to the client; false when it cannot keep up and must be closed. */
  send(chunk: Uint8Array): boolean;
  close(): void;
}

/**
 * One reader of the event log for every SSE client. Stored events are read
 * once per wake-up (an in-process event, or a poll for runs in other
 * processes), encoded once, and the same bytes go to every client that
 * wants them. Event ids are the store's sequence numbers, so a client that
 * reconnects with Last-Event-ID gets exactly the events it has not seen.
 */
export class EventFeed {
  private cursor: number;
  private readonly clients = new Set<FeedClient>();
  private scheduled = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly reader: StoreReader,
    /** Writes the in-process store's pending events, so they have seq numbers. */
    private readonly flush: () => void,
    private readonly redactor: SecretRedactor,
    pollMs = 250,
  ) {
    this.cursor = reader.maxSeq();
    this.timer = setInterval(() => this.pump(), pollMs);
    this.timer.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Something was emitted in this process: deliver it once the store has written it. */
  wake(): void {
    if (this.scheduled || this.clients.size === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /**
   * Adds a client after sending it what it missed since `lastSeq` (undefined:
   * nothing old for the all-runs feed, the whole history for one run). It all
   * happens synchronously, so no event falls between the catch-up and the feed.
   */
  join(client: FeedClient, lastSeq: number | undefined): () => void {
    this.pump();
    let from = lastSeq ?? (client.runId === undefined ? this.cursor : 0);
    while (from < this.cursor) {
      const events = (
        client.runId === undefined
          ? this.reader.eventsAfter(from, BATCH)
          : this.reader.runEventsAfter(client.runId, from, BATCH)
      ).filter((e) => e.seq <= this.cursor);
      if (events.length === 0) break;
      from = events[events.length - 1]!.seq;
      if (!client.send(encoder.encode(events.map((e) => this.frame(e)).join('')))) {
        client.close();
        return () => {};
      }
    }
    this.clients.add(client);
    return () => this.clients.delete(client);
  }

  /** Reads everything new and hands it to the clients that want it. */
  pump(): void {
    try {
      this.flush();
    } catch {
      // the store reports its own write failures and keeps the events; they are delivered once written
    }
    if (this.clients.size === 0) {
      this.cursor = this.reader.maxSeq();
      return;
    }
    for (;;) {
      const events = this.reader.eventsAfter(this.cursor, BATCH);
      if (events.length === 0) return;
      this.cursor = events[events.length - 1]!.seq;
      this.deliver(events);
      if (events.length < BATCH) return;
    }
  }

  private deliver(events: ApiEvent[]): void {
    const frames = events.map((e) => this.frame(e));
    let all: Uint8Array | undefined;
    const byRun = new Map<string, Uint8Array>();
    for (const client of this.clients) {
      let chunk: Uint8Array | undefined;
      if (client.runId === undefined) chunk = all ??= encoder.encode(frames.join(''));
      else {
        chunk = byRun.get(client.runId);
        if (!chunk) {
          const mine = frames.filter((_, i) => events[i]!.runId === client.runId);
          if (mine.length === 0) continue;
          chunk = encoder.encode(mine.join(''));
          byRun.set(client.runId, chunk);
        }
      }
      if (!client.send(chunk)) {
        this.clients.delete(client);
        client.close();
      }
    }
  }

  private frame(event: ApiEvent): string {
    return `id: ${event.seq}\ndata: ${JSON.stringify(this.redactor.value(event))}\n\n`;
  }

  close(): void {
    clearInterval(this.timer);
    for (const client of this.clients) client.close();
    this.clients.clear();
  }
}

export { MAX_BUFFERED_BYTES };
