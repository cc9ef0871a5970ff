import { BudgetLedger, type BudgetLimits } from './budget-ledger.js';
import { CircuitBreaker } from './circuit-breaker.js';
import {
  BudgetExceededError,
  CancelledError,
  CircuitOpenError,
  CycleError,
  DeadlineExceededError,
  DepthLimitError,
  type GuardError,
} from './errors.js';
import type { AnyEvent, EventBus, EventData, EventType } from './events.js';
import { taskFingerprint } from './fingerprint.js';
import { newId } from './ids.js';

export const DEFAULT_MAX_DEPTH = 8;

/** One link of the lineage: which agent works on which task. */
export interface LineageFrame {
  readonly agent: string;
  readonly fingerprint: string;
  readonly nodeId: string;
}

export interface RunContextOptions {
  agent: string;
  task: string;
  runId?: string;
  tenantId?: string;
  budget?: BudgetLimits;
  /** Milliseconds since the epoch after which every call is refused and in-flight calls are aborted. */
  deadline?: number;
  maxDepth?: number;
  events: EventBus;
  /** An outer signal (Ctrl-C, an HTTP request) that cancels the whole run. */
  signal?: AbortSignal;
  /** The root node's id, when a run resumes in another process and its lineage must keep one root. */
  rootNodeId?: string;
}

export interface ChildOptions {
  agent: string;
  task: string;
  /** A tighter depth limit for this branch; the run's limit still applies. */
  maxDepth?: number;
  deadline?: number;
}

interface Shared {
  readonly runId: string;
  readonly tenantId: string;
  readonly ledger: BudgetLedger;
  readonly breaker: CircuitBreaker;
  readonly events: EventBus;
}

/**
 * The immutable record handed to every agent, tool and model call of a run.
 * `child()` is the only way to delegate, and it is where runaway swarms are
 * stopped: depth, cycles, repeated failures, budget and deadline.
 */
export class CascadeContext {
  readonly runId: string;
  readonly tenantId: string;
  readonly nodeId: string;
  readonly parentNodeId: string | undefined;
  readonly lineage: readonly LineageFrame[];
  readonly depth: number;
  readonly maxDepth: number;
  readonly deadline: number | undefined;
  readonly task: string;
  readonly signal: AbortSignal;
  private readonly shared: Shared;
  private readonly controller: AbortController;
  private readonly detach: () => void;
  private readonly stopTimer: () => void;

  private constructor(
    shared: Shared,
    frame: { agent: string; task: string; nodeId: string },
    parent: CascadeContext | undefined,
    limits: { maxDepth: number; deadline: number | undefined },
    outer: AbortSignal | undefined,
  ) {
    this.shared = shared;
    this.runId = shared.runId;
    this.tenantId = shared.tenantId;
    this.nodeId = frame.nodeId;
    this.parentNodeId = parent?.nodeId;
    this.task = frame.task;
    const fingerprint = taskFingerprint(frame.task);
    this.lineage = Object.freeze([
      ...(parent?.lineage ?? []),
      Object.freeze({ agent: frame.agent, fingerprint, nodeId: frame.nodeId }),
    ]);
    this.depth = parent ? parent.depth + 1 : 0;
    this.maxDepth = limits.maxDepth;
    this.deadline = limits.deadline;
    this.controller = new AbortController();
    this.signal = this.controller.signal;
    this.detach = linkAbort(outer, this.controller);
    this.stopTimer = () => {};
    if (limits.deadline !== undefined && limits.deadline !== parent?.deadline) {
      const timer = setTimeout(
        () => this.controller.abort(new DeadlineExceededError(this.describeLineage())),
        Math.max(0, limits.deadline - Date.now()),
      );
      timer.unref();
      this.stopTimer = () => clearTimeout(timer);
    }
    Object.freeze(this);
  }

  static createRun(options: RunContextOptions): CascadeContext {
    const shared: Shared = {
      runId: options.runId ?? newId('run'),
      tenantId: options.tenantId ?? 'default',
      ledger: new BudgetLedger(options.budget),
      breaker: new CircuitBreaker(),
      events: options.events,
    };
    return new CascadeContext(
      shared,
      { agent: options.agent, task: options.task, nodeId: options.rootNodeId ?? newId('node') },
      undefined,
      { maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH, deadline: options.deadline },
      options.signal,
    );
  }

  get agent(): string {
    return this.lineage[this.lineage.length - 1]!.agent;
  }

  get fingerprint(): string {
    return this.lineage[this.lineage.length - 1]!.fingerprint;
  }

  get ledger(): BudgetLedger {
    return this.shared.ledger;
  }

  /** Creates the context for a delegation, or throws the guard error that refuses it. */
  child(options: ChildOptions): CascadeContext {
    this.guard();
    const maxDepth = Math.min(this.maxDepth, options.maxDepth ?? this.maxDepth);
    const fingerprint = taskFingerprint(options.task);
    const attempted = `${this.describeLineage()} → ${options.agent}[${fingerprint}]`;
    if (this.depth + 1 > maxDepth) this.trip(new DepthLimitError(maxDepth, attempted));
    if (this.lineage.some((f) => f.agent === options.agent && f.fingerprint === fingerprint)) {
      this.trip(new CycleError(options.agent, attempted));
    }
    const deadline =
      options.deadline === undefined || this.deadline === undefined
        ? (options.deadline ?? this.deadline)
        : Math.min(options.deadline, this.deadline);
    return new CascadeContext(
      this.shared,
      { agent: options.agent, task: options.task, nodeId: newId('node') },
      this,
      { maxDepth, deadline },
      this.signal,
    );
  }

  /**
   * Throws if this context may not spend anything more: cancelled, past its
   * deadline, budget exhausted, or the circuit breaker open. Called before
   * every model and tool call.
   */
  guard(): void {
    if (this.signal.aborted) {
      const reason = this.signal.reason;
      if (reason instanceof DeadlineExceededError) this.trip(reason);
      this.trip(new CancelledError(reasonText(reason), this.describeLineage()));
    }
    if (this.deadline !== undefined && Date.now() >= this.deadline) {
      this.trip(new DeadlineExceededError(this.describeLineage()));
    }
    const exhausted = this.shared.ledger.exhausted();
    if (exhausted) this.trip(new BudgetExceededError(exhausted, this.describeLineage()));
    const streak = this.shared.breaker.open(this.lineageKey());
    if (streak) this.trip(new CircuitOpenError(streak.signature, streak.count, this.describeLineage()));
  }

  /** Reserves a call's worst-case spend, or throws `BudgetExceededError` before anything is sent. */
  reserve(tokens: number, usd: number) {
    const result = this.shared.ledger.tryReserve(tokens, usd);
    if (typeof result === 'string') this.trip(new BudgetExceededError(result, this.describeLineage()));
    return result;
  }

  recordFailure(error: unknown): void {
    this.shared.breaker.recordFailure(this.lineageKey(), error);
  }

  recordSuccess(): void {
    this.shared.breaker.recordSuccess(this.lineageKey());
  }

  /** Aborts this context and every descendant's in-flight calls. */
  cancel(reason = 'cancelled by the user'): void {
    this.controller.abort(new CancelledError(reason, this.describeLineage()));
  }

  /** Unhooks this context from its parent's signal and stops its deadline timer once its work is over. */
  release(): void {
    this.detach();
    this.stopTimer();
  }

  emit<T extends EventType>(type: T, data: EventData[T]): void {
    this.shared.events.emit({
      type,
      runId: this.runId,
      nodeId: this.nodeId,
      agent: this.agent,
      depth: this.depth,
      ts: Date.now(),
      data,
    } as AnyEvent);
  }

  /** `planner[3fa2b1c0d9e8] → coder[88c1e0aa01b2]` */
  describeLineage(): string {
    return this.lineage.map((f) => `${f.agent}[${f.fingerprint}]`).join(' → ');
  }

  private lineageKey(): string {
    return this.lineage.map((f) => `${f.agent}#${f.fingerprint}`).join('/');
  }

  private trip(error: GuardError): never {
    this.emit('guard.tripped', { guard: error.guard, message: error.message });
    throw error;
  }
}

function linkAbort(outer: AbortSignal | undefined, controller: AbortController): () => void {
  if (!outer) return () => {};
  if (outer.aborted) {
    controller.abort(outer.reason);
    return () => {};
  }
  const onAbort = () => controller.abort(outer.reason);
  outer.addEventListener('abort', onAbort, { once: true });
  return () => outer.removeEventListener('abort', onAbort);
}

function reasonText(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  if (reason === undefined) return 'aborted';
  return String(reason);
}
