import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorText } from '../api';
import { Conversation } from '../components/conversation';
import { DagView } from '../components/dag-view';
import { Elapsed } from '../components/elapsed';
import { EventTimeline } from '../components/event-timeline';
import { LineageTree } from '../components/lineage-tree';
import { StatusBadge } from '../components/status-badge';
import type { StreamStatus } from '../event-stream';
import { formatTokens, formatUsd } from '../format';
import { FrameBatcher } from '../frame-batcher';
import { followLive } from '../live-feed';
import { SwarmModel } from '../swarm-model';
import type { ApiEvent, DagStep, RunRow, WorkflowDag } from '../types';

interface Detail {
  run: RunRow;
  workflow: boolean;
  owned: boolean;
}

/** One run: its lineage, its workflow DAG, the conversation of a selected agent or step, the timeline. */
export function RunPage({ runId, onUnauthorized }: { runId: string; onUnauthorized: () => void }) {
  const model = useRef(new SwarmModel()).current;
  const events = useRef<ApiEvent[]>([]).current;
  const [, setTick] = useState(0);
  const [detail, setDetail] = useState<Detail>();
  const [dag, setDag] = useState<WorkflowDag>();
  const [problem, setProblem] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [selectedNode, setSelectedNode] = useState<string>();
  const [selectedStep, setSelectedStep] = useState<string>();
  const dagLoading = useRef(false);
  const dagStale = useRef(false);

  const loadDag = useCallback(async () => {
    if (dagLoading.current) {
      dagStale.current = true;
      return;
    }
    dagLoading.current = true;
    try {
      do {
        dagStale.current = false;
        setDag(await api<WorkflowDag>(`/api/workflows/runs/${runId}`));
      } while (dagStale.current);
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      dagLoading.current = false;
    }
  }, [runId]);

  useEffect(() => {
    let workflow = false;
    const batcher = new FrameBatcher<ApiEvent>((batch) => {
      let steps = false;
      for (const e of batch) {
        model.apply(e);
        events.push(e);
        if (e.type.startsWith('step.') || e.type === 'run.finished') steps = true;
      }
      setTick((t) => t + 1);
      if (steps && workflow) void loadDag();
    });
    const stop = followLive({
      load: () => api<Detail>(`/api/runs/${runId}`),
      loaded: (d) => {
        workflow = d.workflow;
        setDetail(d);
        if (d.workflow) void loadDag();
        // the run's whole history, then live
        return { path: `/api/runs/${d.run.id}/events/stream` };
      },
      onEvents: (batch) => batcher.push(batch),
      setStatus,
      setProblem,
      onUnauthorized,
    });
    return () => {
      stop();
      batcher.cancel();
    };
  }, [runId, model, events, loadDag, onUnauthorized]);

  const run = model.runs.get(detail?.run.id ?? runId);
  const act = async (what: string, path: string, body?: unknown) => {
    setProblem(undefined);
    setNotice(undefined);
    try {
      await api(path, { method: 'POST', body: body ?? {} });
      setNotice(what);
      if (detail?.workflow) void loadDag();
    } catch (error) {
      setProblem(errorText(error));
    }
  };
  const id = detail?.run.id ?? runId;
  const waiting = dag?.steps.filter((s) => s.status === 'waiting') ?? [];
  const step = dag?.steps.find((s) => s.id === selectedStep);

  return (
    <section aria-labelledby="run-title">
      <div className="page-head">
        <h1 id="run-title" tabIndex={-1}>
          Run <span className="mono">{id}</span>
        </h1>
        {run && <StatusBadge status={run.status} />}
        <span className={`stream stream-${status}`} role="status" aria-live="polite">
          {status}
        </span>
        {run && (
          <>
            <span className="metric">{formatTokens(run.inputTokens + run.outputTokens)} tokens</span>
            <span className="metric">{formatUsd(run.costUsd)}</span>
            <Elapsed since={run.startedAt} until={run.finishedAt} />
          </>
        )}
        {run?.status === 'running' && (
          <button
            type="button"
            className="danger"
            onClick={() =>
              act('cancel requested', `/api/runs/${id}/cancel`, { reason: 'cancelled from the dashboard' })
            }
          >
            Cancel run
          </button>
        )}
      </div>
      {run && <p className="task-line">{run.task}</p>}
      {run?.error && <p className="error-line">{run.error}</p>}
      {problem && (
        <p className="error-line" role="alert">
          {problem}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {waiting.length > 0 && (
        <section className="card approvals" aria-labelledby="approvals-title">
          <h2 id="approvals-title">Waiting for approval</h2>
          {waiting.map((s) => (
            <div key={s.id} className="approval">
              <p>
                <strong>{s.id}</strong>: {s.detail}
              </p>
              <button
                type="button"
                className="primary"
                onClick={() =>
                  act(`approved ${s.id}`, `/api/workflows/runs/${id}/steps/${s.id}/approve`, {
                    approved: true,
                  })
                }
              >
                Approve {s.id}
              </button>
              <button
                type="button"
                className="danger"
                onClick={() =>
                  act(`rejected ${s.id}`, `/api/workflows/runs/${id}/steps/${s.id}/approve`, {
                    approved: false,
                    note: 'rejected from the dashboard',
                  })
                }
              >
                Reject {s.id}
              </button>
            </div>
          ))}
        </section>
      )}
      {dag && (
        <section aria-labelledby="dag-title">
          <h2 id="dag-title">
            Workflow <span className="mono">{dag.name}</span> <StatusBadge status={dag.status} />
          </h2>
          <div className="scroll-x">
            <DagView
              steps={dag.steps}
              selected={selectedStep}
              onSelect={(s) => {
                setSelectedStep(s);
                setSelectedNode(undefined);
              }}
            />
          </div>
          {step && <StepDetail step={step} run={run} events={events} />}
        </section>
      )}
      <div className="split">
        <section aria-labelledby="lineage-title">
          <h2 id="lineage-title">Lineage</h2>
          {run ? (
            <LineageTree
              run={run}
              selected={selectedNode}
              onSelect={(n) => {
                setSelectedNode(n);
                setSelectedStep(undefined);
              }}
            />
          ) : (
            <p className="muted">loading…</p>
          )}
        </section>
        {selectedNode && run && (
          <Conversation
            title={`Conversation of ${run.nodes.get(selectedNode)?.agent ?? 'agent'}`}
            events={events.filter((e) => e.nodeId === selectedNode)}
          />
        )}
      </div>
      <EventTimeline events={events} />
    </section>
  );
}

function StepDetail({
  step,
  run,
  events,
}: {
  step: DagStep;
  run: ReturnType<SwarmModel['runs']['get']>;
  events: readonly ApiEvent[];
}) {
  const started = events.find((e) => e.type === 'step.started' && e.data.stepId === step.id);
  const agent = step.kind === 'agent' ? step.detail?.split(':')[0] : undefined;
  const node =
    run && agent && started
      ? [...run.nodes.values()].find((n) => n.agent === agent && n.depth === 1 && n.startedAt >= started.ts)
      : undefined;
  return (
    <div className="card step-detail">
      <h3>
        Step <span className="mono">{step.id}</span> <StatusBadge status={step.status} />
      </h3>
      {step.description && <p>{step.description}</p>}
      {step.detail && <p className="muted">{step.detail}</p>}
      {step.error && <p className="error-line">{step.error}</p>}
      {step.reason && <p className="muted">{step.reason}</p>}
      {step.output !== undefined && <pre className="result">{JSON.stringify(step.output, null, 2)}</pre>}
      {node && (
        <Conversation
          title={`Conversation of ${node.agent} in ${step.id}`}
          events={events.filter((e) => e.nodeId === node.id)}
        />
      )}
    </div>
  );
}
