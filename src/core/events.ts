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
  /** One client request through the gateway: where it went and why, and what it used and cost. */
  'gateway.request': {
    id: string;
    endpoint: 'chat' | 'completions' | 'embeddings' | 'unknown';
    model: string | undefined;
    stream: boolean;
    /** The virtual key's id (never the key), and its tenant. */
    keyId: string | undefined;
    tenant: string | undefined;
    status: number;
    outcome: 'ok' | 'rejected' | 'failed' | 'interrupted' | 'cancelled';
    backend: string | undefined;
    policy: string | undefined;
    /** Why the serving backend was chosen. */
    reason: string | undefined;
    attempts: { backend: string; outcome: string; status?: number; ms: number; detail?: string }[];
    usage: { promptTokens: number; completionTokens: number; cachedTokens: number } | undefined;
    usageEstimated: boolean;
    costUsd: number;
    /** What the request would have cost on the cheapest paid backend, minus what it cost. */
    savedUsd: number;
    waitedMs: number;
    ttftMs: number | undefined;
    durationMs: number;
    error: { code: string; message: string } | undefined;
  };
  /** A model call answered without an upstream call of its own: from the response cache, or coalesced with an identical call. */
  'model.cached': { model: string; source: 'exact' | 'near' | 'coalesced'; latencyMs: number };
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
    /** An approval step: who approved or rejected it, and their note. */
    by?: string;
    note?: string;
  };
  /** `swarm improve`: one candidate finished its transaction. */
  'improve.candidate': {
    runId: string;
    candidateId: string;
    skill: string;
    outcome: 'kept' | 'rolled_back' | 'skipped';
    reason: string;
    branch?: string;
  };
  /** `swarm improve`: the approved branches of a cycle were merged (or not) and the target moved (or not). */
  'improve.merge': {
    runId: string;
    target: string;
    merged: string[];
    dropped: string[];
    outcome: 'fast_forwarded' | 'integrated' | 'nothing_merged';
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
