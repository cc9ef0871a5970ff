import { formatTime } from '../format';
import type { ApiEvent } from '../types';

const SHOWN = 400;

export function summarise(e: ApiEvent): string {
  const d = e.data;
  switch (e.type) {
    case 'run.started':
      return d.task;
    case 'run.finished':
    case 'agent.finished':
      return `${d.outcome}${d.error ? `: ${d.error}` : ''}`;
    case 'agent.started':
      return d.task;
    case 'agent.step':
      return `step ${d.step} (${d.finishReason}, ${d.toolCalls} tool calls)${d.text ? `: ${d.text}` : ''}`;
    case 'model.call':
      return `${d.model}: ${d.inputTokens} in / ${d.outputTokens} out, $${Number(d.costUsd).toFixed(6)}, ${Math.round(d.latencyMs)} ms${d.ok ? '' : ` — ${d.error}`}`;
    case 'tool.call':
      return `${d.tool}(${d.args}) ${d.ok ? '→' : '✗'} ${d.result}`;
    case 'delegation':
      return `→ ${d.to}: ${d.task}`;
    case 'guard.tripped':
      return `${d.guard}: ${d.message}`;
    case 'step.started':
      return `${d.stepId} (${d.kind}, attempt ${d.attempt})`;
    case 'step.finished':
      return `${d.stepId} ${d.status}${d.error ? `: ${d.error}` : d.reason ? `: ${d.reason}` : ''}`;
    case 'model.retry':
      return `${d.model} retry ${d.attempt} in ${d.delayMs} ms: ${d.reason}`;
    case 'model.fallback':
      return `${d.from} → ${d.to}: ${d.reason}`;
    default:
      return JSON.stringify(d);
  }
}

/** The run's events, newest last; only the latest few hundred are drawn. */
export function EventTimeline({ events }: { events: readonly ApiEvent[] }) {
  const shown = events.length > SHOWN ? events.slice(-SHOWN) : events;
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">
        Event timeline <span className="muted">({events.length} events)</span>
      </h2>
      <ol className="timeline">
        {shown.map((e) => (
          <li key={e.seq} className={`ev ev-${e.type.replace('.', '-')}`}>
            <time dateTime={new Date(e.ts).toISOString()}>{formatTime(e.ts)}</time>
            <span className="ev-type">{e.type}</span>
            <span className="ev-agent">{e.agent ?? ''}</span>
            <span className="ev-text">{summarise(e)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
