import type { EventData, SwarmEvent } from '../core/events.js';

export type AttemptOutcome =
  | 'ok'
  | 'client-error'
  | 'http-error'
  | 'rate-limited'
  | 'connect-error'
  | 'first-token-timeout'
  | 'malformed'
  | 'interrupted'
  | 'cancelled';

/** One try of one backend. */
export interface AttemptRecord {
  backend: string;
  outcome: AttemptOutcome;
  /** HTTP status the backend answered with, if it answered. */
  status?: number;
  ms: number;
  detail?: string;
}

export type RequestOutcome = EventData['gateway.request']['outcome'];

/**
 * Everything the gateway decided and measured about one client request: the
 * `gateway.request` event's data (defined with Swarm's other events), with
 * the gateway's own narrower types for its attempts.
 */
export type GatewayRequestEvent = Omit<EventData['gateway.request'], 'attempts'> & {
  type: 'gateway.request';
  /** Milliseconds since the epoch, at arrival. */
  ts: number;
  /** The run the request belongs to, when the client said (`x-swarm-run-id`), as Swarm's agents do. */
  runId: string | undefined;
  attempts: AttemptRecord[];
};

/** The run id requests outside any run are filed under in the run store. */
export const GATEWAY_RUN_ID = 'gateway';

/** The event as the rest of Swarm carries it (event bus, run store, SSE). */
export function toSwarmEvent(event: GatewayRequestEvent): SwarmEvent<'gateway.request'> {
  const { type, ts, runId, ...data } = event;
  return { type, runId: runId ?? GATEWAY_RUN_ID, nodeId: event.id, agent: 'gateway', depth: 0, ts, data };
}

export type GatewayEventListener = (event: GatewayRequestEvent) => void;

/** Synchronous fan-out; a failing listener never breaks the request that emitted the event. */
export class GatewayEvents {
  private listeners: GatewayEventListener[] = [];

  subscribe(listener: GatewayEventListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  emit(event: GatewayRequestEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's bug must not turn into a failed request.
      }
    }
  }
}
