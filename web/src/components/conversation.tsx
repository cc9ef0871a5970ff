import type { ApiEvent } from '../types';
import { DiffView, findDiff } from './diff-view';

/** What one agent (or one workflow step) said and did: its steps' text, tool calls with results, delegations. */
export function Conversation({ title, events }: { title: string; events: readonly ApiEvent[] }) {
  const shown = events.filter((e) =>
    [
      'agent.started',
      'agent.step',
      'tool.call',
      'delegation',
      'agent.finished',
      'guard.tripped',
      'model.call',
    ].includes(e.type),
  );
  return (
    <section className="conversation" aria-label={title}>
      <h3>{title}</h3>
      {shown.length === 0 && <p className="muted">Nothing recorded yet.</p>}
      <ol>
        {shown.map((e) => (
          <li key={e.seq} className={`msg msg-${e.type.replace('.', '-')}`}>
            <Message event={e} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function Message({ event: e }: { event: ApiEvent }) {
  const d = e.data;
  switch (e.type) {
    case 'agent.started':
      return (
        <p>
          <span className="role">task → {e.agent}</span> {d.task}
        </p>
      );
    case 'agent.step':
      return (
        <p>
          <span className="role">{e.agent}</span> {d.text || <em className="muted">(tool calls only)</em>}
        </p>
      );
    case 'model.call':
      return (
        <p className="muted small">
          model {d.model}: {d.inputTokens} in / {d.outputTokens} out · ${Number(d.costUsd).toFixed(6)} ·{' '}
          {Math.round(d.latencyMs)} ms
          {d.ok ? '' : ` · failed: ${d.error}`}
        </p>
      );
    case 'tool.call': {
      const diff = findDiff(d.args) ?? findDiff(d.result);
      return (
        <div>
          <p>
            <span className="role">tool {d.tool}</span> <code>{d.args}</code>
          </p>
          {diff ? (
            <DiffView diff={diff} />
          ) : (
            <pre className={d.ok ? 'result' : 'result failed'}>{d.result}</pre>
          )}
        </div>
      );
    }
    case 'delegation':
      return (
        <p>
          <span className="role">delegates to {d.to}</span> {d.task}
        </p>
      );
    case 'guard.tripped':
      return (
        <p className="error-line">
          guard {d.guard}: {d.message}
        </p>
      );
    case 'agent.finished':
      return (
        <p>
          <span className="role">answer ({d.outcome})</span> {d.output ?? d.error ?? ''}
        </p>
      );
    default:
      return null;
  }
}
