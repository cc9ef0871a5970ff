import {
  type Attributes,
  type Context,
  context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { AnyEvent, EventBus, SwarmEvent } from '../../core/events.js';
import { clipText } from '../clip-text.js';
import type { SecretRedactor } from '../redact.js';
import type { TracingHandle } from './setup-tracing.js';
import {
  forgetRunTrace,
  MAX_LOCAL_RUNS,
  type RunTrace,
  registerRunTrace,
  runParentContext,
  runTraceOf,
  spanContextOf,
} from './trace-context.js';

const TEXT_LIMIT = 1_000;
/** Workflow runs have a root node named after the workflow; the run span stands for it. */
const WORKFLOW_NODE = /^workflow(:|$)/;

interface NodeState {
  span: Span;
  runId: string;
  agent: string;
  path: string;
  depth: number;
  fingerprint: string;
  /** The tool-loop step in progress: from its model call to the next one. */
  step: Span | undefined;
  steps: number;
  /** Set by agent.step: the next model call starts a new step. */
  stepDone: boolean;
}

/**
 * Builds spans from the event bus: a span per run, per agent (with one
 * child span per tool-loop step), per model call (GenAI semantic
 * conventions: operation, provider, model, tokens in and out, plus cost) and
 * per tool call, each with the lineage as attributes (run id, agent path,
 * depth, task fingerprint). Events carry their end time and duration, so
 * spans are created when the work is over, with their real start. Parents
 * come from the lineage when the parent node ran here, else from the active
 * context (a workflow step's span), else from the run's trace. Every text
 * attribute passes the secret redactor.
 */
export class SwarmTracer {
  private readonly nodes = new Map<string, NodeState>();
  private readonly runInfo = new Map<string, Attributes>();

  constructor(
    private readonly tracing: TracingHandle,
    private readonly redactor: SecretRedactor,
  ) {}

  attach(bus: EventBus): () => void {
    return bus.subscribe((event) => this.observe(event));
  }

  observe(event: AnyEvent): void {
    switch (event.type) {
      case 'run.started':
        this.runStarted(event);
        break;
      case 'run.finished':
        this.runFinished(event);
        break;
      case 'agent.started':
        this.agentStarted(event);
        break;
      case 'agent.step':
        this.agentStep(event);
        break;
      case 'agent.finished':
        this.agentFinished(event);
        break;
      case 'model.call':
        this.modelCall(event);
        break;
      case 'tool.call':
        this.toolCall(event);
        break;
      case 'model.retry':
      case 'model.fallback':
      case 'delegation':
        this.nodeEvent(event, this.nodes.get(event.nodeId)?.step);
        return;
      case 'guard.tripped':
        this.nodeEvent(event, this.nodes.get(event.nodeId)?.span);
        return;
      default:
        // read by name: the model layer's cache event
        if ((event.type as string) === 'model.cached')
          this.modelCached(
            event,
            event.data as unknown as { model: string; source: string; latencyMs: number },
          );
    }
  }

  private runStarted(event: SwarmEvent<'run.started'>): void {
    if (this.runInfo.size >= MAX_LOCAL_RUNS) this.runInfo.delete(this.runInfo.keys().next().value as string);
    this.runInfo.set(event.runId, {
      'swarm.tenant': event.data.tenantId,
      'swarm.task': this.text(event.data.task),
      ...(event.data.budget.usd === undefined ? {} : { 'swarm.budget.usd': event.data.budget.usd }),
      ...(event.data.budget.tokens === undefined ? {} : { 'swarm.budget.tokens': event.data.budget.tokens }),
    });
    if (runTraceOf(event.runId)) return;
    const outer = spanContextOf(context.active());
    registerRunTrace({
      runId: event.runId,
      traceId: outer?.traceId ?? this.tracing.ids.generateTraceId(),
      spanId: this.tracing.ids.generateSpanId(),
      ...(outer ? { parentSpanId: outer.spanId } : {}),
      startTime: event.ts,
    });
  }

  private runFinished(event: SwarmEvent<'run.finished'>): void {
    const run = runTraceOf(event.runId);
    const info = this.runInfo.get(event.runId) ?? {};
    this.runInfo.delete(event.runId);
    if (!run) return;
    forgetRunTrace(event.runId);
    const parent = run.parentSpanId
      ? trace.setSpanContext(ROOT_CONTEXT, { ...runParentContextSpan(run), spanId: run.parentSpanId })
      : ROOT_CONTEXT;
    const span = this.tracing.ids.with({ traceId: run.traceId, spanId: run.spanId }, () =>
      this.tracing.tracer.startSpan(
        'swarm.run',
        {
          startTime: run.startTime,
          root: !run.parentSpanId,
          attributes: {
            ...info,
            'swarm.run_id': event.runId,
            'swarm.agent.name': event.agent,
            'swarm.outcome': event.data.outcome,
          },
        },
        parent,
      ),
    );
    this.finish(span, event.data.outcome, event.data.error, event.ts);
  }

  private agentStarted(event: SwarmEvent<'agent.started'>): void {
    if (WORKFLOW_NODE.test(event.agent)) return;
    const parentNode = event.data.parentNodeId ? this.nodes.get(event.data.parentNodeId) : undefined;
    const parent = parentNode ? this.stepContext(parentNode, event.ts) : this.fallbackParent(event.runId);
    const path = parentNode ? `${parentNode.path}/${event.agent}` : event.agent;
    const span = this.tracing.tracer.startSpan(
      `invoke_agent ${event.agent}`,
      {
        startTime: event.ts,
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.agent.name': event.agent,
          ...lineage(event.runId, event.nodeId, event.agent, path, event.depth, event.data.fingerprint),
          'swarm.task': this.text(event.data.task),
        },
      },
      parent,
    );
    this.nodes.set(event.nodeId, {
      span,
      runId: event.runId,
      agent: event.agent,
      path,
      depth: event.depth,
      fingerprint: event.data.fingerprint,
      step: undefined,
      steps: 0,
      stepDone: false,
    });
  }

  private agentStep(event: SwarmEvent<'agent.step'>): void {
    const node = this.nodes.get(event.nodeId);
    if (!node) return;
    const step = this.ensureStep(node, event.ts);
    step.setAttributes({
      'swarm.step': event.data.step,
      'gen_ai.response.finish_reasons': [event.data.finishReason],
      'swarm.tool_calls': event.data.toolCalls,
    });
    node.stepDone = true;
  }

  private agentFinished(event: SwarmEvent<'agent.finished'>): void {
    const node = this.nodes.get(event.nodeId);
    if (!node) return;
    this.nodes.delete(event.nodeId);
    node.step?.end(event.ts);
    if (event.data.guard) node.span.setAttribute('swarm.guard', event.data.guard);
    node.span.setAttribute('swarm.outcome', event.data.outcome);
    this.finish(node.span, event.data.outcome, event.data.error, event.ts);
  }

  private modelCall(event: SwarmEvent<'model.call'>): void {
    const span = this.chatSpan(event, event.data.model, event.ts - event.data.latencyMs, {
      'gen_ai.usage.input_tokens': event.data.inputTokens,
      'gen_ai.usage.output_tokens': event.data.outputTokens,
      'swarm.usage.cached_tokens': event.data.cachedTokens,
      'swarm.cost_usd': event.data.costUsd,
      'swarm.attempt': event.data.attempt,
      ...(event.data.finishReason ? { 'gen_ai.response.finish_reasons': [event.data.finishReason] } : {}),
    });
    if (!event.data.ok) span.setAttribute('error.type', 'model_call_failed');
    this.finish(span, event.data.ok ? 'succeeded' : 'failed', event.data.error, event.ts);
  }

  /** A call answered from the response cache or coalesced with an identical one: no tokens, no cost. */
  private modelCached(event: AnyEvent, data: { model: string; source: string; latencyMs: number }): void {
    const span = this.chatSpan(event, data.model, event.ts - data.latencyMs, {
      'gen_ai.usage.input_tokens': 0,
      'gen_ai.usage.output_tokens': 0,
      'swarm.cost_usd': 0,
      'swarm.cache': data.source,
    });
    this.finish(span, 'succeeded', undefined, event.ts);
  }

  /** A model call's span; a call after the node's last step ended starts the next step. */
  private chatSpan(event: AnyEvent, modelRef: string, started: number, usage: Attributes): Span {
    const node = this.nodes.get(event.nodeId);
    if (node?.stepDone) {
      node.step?.end(started);
      node.step = undefined;
      node.stepDone = false;
    }
    const parent = node ? this.stepContext(node, started) : this.fallbackParent(event.runId);
    const [provider, model] = splitModel(modelRef);
    return this.tracing.tracer.startSpan(
      `chat ${model}`,
      {
        kind: SpanKind.CLIENT,
        startTime: started,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': provider,
          'gen_ai.system': provider,
          'gen_ai.request.model': model,
          ...usage,
          ...this.nodeLineage(event, node),
        },
      },
      parent,
    );
  }

  private toolCall(event: SwarmEvent<'tool.call'>): void {
    const node = this.nodes.get(event.nodeId);
    const started = event.ts - event.data.latencyMs;
    const parent = node ? this.stepContext(node, started) : this.fallbackParent(event.runId);
    const span = this.tracing.tracer.startSpan(
      `execute_tool ${event.data.tool}`,
      {
        startTime: started,
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': event.data.tool,
          'gen_ai.tool.call.id': event.data.callId,
          'swarm.tool.args': this.text(event.data.args),
          ...this.nodeLineage(event, node),
        },
      },
      parent,
    );
    if (!event.data.ok) span.setAttribute('error.type', 'tool_error');
    this.finish(
      span,
      event.data.ok ? 'succeeded' : 'failed',
      event.data.ok ? undefined : event.data.result,
      event.ts,
    );
  }

  private nodeEvent(event: AnyEvent, span: Span | undefined): void {
    const target = span ?? this.nodes.get(event.nodeId)?.span;
    if (!target) return;
    const attributes: Attributes = {};
    for (const [key, value] of Object.entries(event.data)) {
      if (typeof value === 'string') attributes[`swarm.${key}`] = this.text(value);
      else if (typeof value === 'number' || typeof value === 'boolean') attributes[`swarm.${key}`] = value;
    }
    target.addEvent(event.type, attributes, event.ts);
  }

  /** The open tool-loop step of a node, started at `at` if none is open. */
  private ensureStep(node: NodeState, at: number): Span {
    if (!node.step) {
      node.steps++;
      node.step = this.tracing.tracer.startSpan(
        `swarm.agent.step ${node.agent}`,
        {
          startTime: at,
          attributes: {
            'swarm.step': node.steps,
            ...lineage(node.runId, undefined, node.agent, node.path, node.depth, node.fingerprint),
          },
        },
        trace.setSpan(ROOT_CONTEXT, node.span),
      );
    }
    return node.step;
  }

  private stepContext(node: NodeState, at: number): Context {
    return trace.setSpan(ROOT_CONTEXT, this.ensureStep(node, at));
  }

  /** A workflow step's span when one is active, else the run span (exported later with these ids). */
  private fallbackParent(runId: string): Context {
    const active = context.active();
    if (spanContextOf(active)) return active;
    const run = runTraceOf(runId, active);
    return run ? runParentContext(run) : ROOT_CONTEXT;
  }

  private nodeLineage(event: AnyEvent, node: NodeState | undefined): Attributes {
    return node
      ? lineage(event.runId, event.nodeId, node.agent, node.path, node.depth, node.fingerprint)
      : {
          'swarm.run_id': event.runId,
          'swarm.node_id': event.nodeId,
          'swarm.agent.name': event.agent,
          'swarm.depth': event.depth,
        };
  }

  private finish(span: Span, outcome: string, error: string | undefined, at: number): void {
    if (outcome === 'succeeded') span.setStatus({ code: SpanStatusCode.OK });
    else span.setStatus({ code: SpanStatusCode.ERROR, message: this.text(error ?? outcome) });
    span.end(at);
  }

  private text(value: string): string {
    return clipText(this.redactor.text(value), TEXT_LIMIT);
  }
}

function runParentContextSpan(run: RunTrace) {
  return trace.getSpanContext(runParentContext(run))!;
}

function lineage(
  runId: string,
  nodeId: string | undefined,
  agent: string,
  path: string,
  depth: number,
  fingerprint: string,
): Attributes {
  return {
    'swarm.run_id': runId,
    ...(nodeId ? { 'swarm.node_id': nodeId } : {}),
    'swarm.agent.name': agent,
    'swarm.agent.path': path,
    'swarm.depth': depth,
    'swarm.task.fingerprint': fingerprint,
  };
}

/** `provider:model` as the model layer names models; a bare name has no provider part. */
function splitModel(ref: string): [string, string] {
  const colon = ref.indexOf(':');
  return colon < 0 ? ['unknown', ref] : [ref.slice(0, colon), ref.slice(colon + 1)];
}
