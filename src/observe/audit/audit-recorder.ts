import type { AnyEvent, EventBus } from '../../core/events.js';
import { clipText } from '../clip-text.js';
import type { SecretRedactor } from '../redact.js';
import type { AuditEntry } from './audit-record.js';

const TEXT_LIMIT = 2_000;

export interface AuditRecorderOptions {
  /** Whether a tool changes something outside the run (its `sideEffects` flag); read-only calls are not decisions. */
  hasSideEffects: (tool: string) => boolean;
  redactor: SecretRedactor;
}

/**
 * Turns the events that record a decision into audit entries: delegations,
 * tool calls with side effects, guard refusals (budget and the others),
 * approvals of waiting workflow steps, edits kept or rolled back, merges.
 * Everything else (model calls, read-only tools, progress) is left out.
 * Secrets are redacted before an entry exists.
 */
export class AuditRecorder {
  constructor(
    private readonly sink: { append(entry: AuditEntry): unknown },
    private readonly options: AuditRecorderOptions,
  ) {}

  attach(bus: EventBus): () => void {
    return bus.subscribe((event) => this.observe(event));
  }

  observe(event: AnyEvent): void {
    const entry = this.entry(event);
    if (!entry) return;
    this.sink.append({
      kind: entry.kind,
      runId: event.runId,
      actor: entry.actor ?? event.agent,
      data: this.options.redactor.value({ nodeId: event.nodeId, depth: event.depth, ...entry.data }),
    });
  }

  private entry(
    event: AnyEvent,
  ): { kind: string; actor?: string; data: Record<string, unknown> } | undefined {
    switch (event.type) {
      case 'delegation':
        return {
          kind: 'delegation',
          data: {
            to: event.data.to,
            childNodeId: event.data.childNodeId,
            task: clipText(event.data.task, TEXT_LIMIT),
          },
        };
      case 'tool.call':
        if (!this.options.hasSideEffects(event.data.tool)) return undefined;
        return {
          kind: 'tool.call',
          data: {
            tool: event.data.tool,
            callId: event.data.callId,
            args: clipText(event.data.args, TEXT_LIMIT),
            ok: event.data.ok,
            result: clipText(event.data.result, TEXT_LIMIT),
          },
        };
      case 'guard.tripped':
        return {
          kind: event.data.guard === 'budget' ? 'budget.refusal' : 'guard.refusal',
          data: { guard: event.data.guard, message: clipText(event.data.message, TEXT_LIMIT) },
        };
      case 'step.finished':
        if (
          event.data.kind !== 'approval' ||
          (event.data.status !== 'succeeded' && event.data.status !== 'failed')
        )
          return undefined;
        return {
          kind: 'approval',
          // the person who decided, when the approval names one
          ...(event.data.by ? { actor: event.data.by } : {}),
          data: {
            stepId: event.data.stepId,
            approved: event.data.status === 'succeeded',
            ...(event.data.note ? { note: clipText(event.data.note, TEXT_LIMIT) } : {}),
            ...(event.data.error ? { error: clipText(event.data.error, TEXT_LIMIT) } : {}),
          },
        };
      default:
        return improveDecision(event.type as string, event.data as unknown as Record<string, unknown>);
    }
  }
}

/**
 * The improve pipeline's decisions, read by event name: an edit kept or
 * rolled back (`edit.kept`, `edit.rolled_back`; a skipped candidate changed
 * nothing) and each merge of a cycle's approved branches.
 */
function improveDecision(
  type: string,
  data: Record<string, unknown>,
): { kind: string; data: Record<string, unknown> } | undefined {
  if (type === 'improve.candidate' && (data.outcome === 'kept' || data.outcome === 'rolled_back'))
    return { kind: `edit.${data.outcome}`, data };
  if (type === 'improve.merge') return { kind: 'merge', data };
  return undefined;
}
