/** The outcome of a run, an agent node or a step. */
export type Outcome = 'succeeded' | 'failed' | 'cancelled';

export type GuardName = 'depth' | 'cycle' | 'circuit' | 'budget' | 'deadline' | 'cancelled';

/** Payload of each event type. Adding a type here makes it typed everywhere. */
export interface EventData {
  'run.started': { task: string; tenantId: string; budget: { tokens?: number; usd?: number } };
  'run.finished': { outcome: Outcome; output?: string; error?: string; errorCode?: string };
  'agent.started': { task: string; fingerprint: string; parentNodeId?: string };
  'agent.step': { step: number; finishReason: string; toolCalls: number; text: string };
  'agent.finished': {
    outcome: Outcome;
    output?: string;
    error?: string;
    errorCode?: string;
    guard?: GuardName;
  };
  'model.call': {
    model: string;
    attempt: number;
    ok: boolean;
    inputTokens: number;
    outputTokens: number;
    cachedTokens: number;
    costUsd: number;
    latencyMs: number;
    finishReason?: string;
    error?: string;
  };
  /** A piece of streamed answer text; transient: shown live, never stored. */
  'model.delta': { text: string };
  'model.retry': { model: string; attempt: number; delayMs: number; reason: string };
  'model.fallback': { from: string; to: string; reason: string };
  'tool.call': { tool: string; callId: string; args: string; ok: boolean; result: string; latencyMs: number };
  delegation: { to: string; childNodeId: string; task: string };
  'guard.tripped': { guard: GuardName; message: string };
  'step.started': { stepId: string; kind: string; attempt: number; item?: number; iteration?: number };
  'step.finished': {
    stepId: string;
    kind: string;
    status: 'succeeded' | 'failed' | 'skipped' | 'waiting';
    error?: string;
    reason?: string;
  };
  error: { message: string; code?: string };
}

export type EventType = keyof EventData;

export interface SwarmEvent<T extends EventType = EventType> {
  type: T;
  runId: string;
  nodeId: string;
  agent: string;
  depth: number;
  /** Milliseconds since the epoch. */
  ts: number;
  data: EventData[T];
}

export type AnyEvent = { [T in EventType]: SwarmEvent<T> }[EventType];

/** Event types shown live but not persisted (they would multiply the store's size for no later use). */
export const TRANSIENT_EVENTS: ReadonlySet<EventType> = new Set<EventType>(['model.delta']);

export type EventListener = (event: AnyEvent) => void;

/**
 * Synchronous fan-out to subscribers. A failing subscriber is reported to the
 * `onListenerError` hook and never breaks the run that emitted the event.
 */
export class EventBus {
  private listeners: EventListener[] = [];

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  subscribe(listener: EventListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  emit(event: AnyEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
