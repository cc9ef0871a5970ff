import { errorText } from './api';
import { openEventStream, type StreamStatus } from './event-stream';
import type { ApiEvent } from './types';

export interface LiveFeedOptions<T> {
  /** The snapshot the stream continues from. */
  load(): Promise<T>;
  /** Told the snapshot once it arrives; returns which stream to follow from it. */
  loaded(snapshot: T): { path: string; lastEventId?: number };
  onEvents(events: ApiEvent[]): void;
  setStatus(status: StreamStatus): void;
  setProblem(problem: string | undefined): void;
  onUnauthorized(): void;
}

/**
 * A page's data: a snapshot from the API, then the events after it, live.
 * Failures become the page's problem line; a 401 asks for the API key.
 * Returns the function that stops it (the page's effect cleanup).
 */
export function followLive<T>(options: LiveFeedOptions<T>): () => void {
  let stopped = false;
  let close = () => {};
  options
    .load()
    .then((snapshot) => {
      if (stopped) return;
      const { path, lastEventId } = options.loaded(snapshot);
      close = openEventStream(path, {
        ...(lastEventId === undefined ? {} : { lastEventId }),
        onEvents: options.onEvents,
        onStatus: (status, detail) => {
          options.setStatus(status);
          if (status === 'unauthorized') options.onUnauthorized();
          if (status === 'failed') options.setProblem(detail);
        },
      });
    })
    .catch((error: unknown) => {
      if ((error as { status?: number }).status === 401) options.onUnauthorized();
      options.setProblem(errorText(error));
    });
  return () => {
    stopped = true;
    close();
  };
}
