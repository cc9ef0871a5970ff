import { type FormEvent, useEffect, useState } from 'react';
import { api, errorText } from '../api';
import type { AgentSummary, WorkflowFile } from '../types';

/** Start an agent run or a workflow; on success, go to the new run's page. */
export function StartPage() {
  const [agents, setAgents] = useState<AgentSummary[]>([]);
  const [workflows, setWorkflows] = useState<WorkflowFile[]>([]);
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api<{ agents: AgentSummary[] }>('/api/agents')
      .then((r) => setAgents(r.agents))
      .catch((e: unknown) => setProblem(errorText(e)));
    api<{ workflows: WorkflowFile[] }>('/api/workflows')
      .then((r) => setWorkflows(r.workflows))
      .catch(() => setWorkflows([]));
  }, []);

  const submit = async (event: FormEvent<HTMLFormElement>, kind: 'run' | 'workflow') => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setProblem(undefined);
    setBusy(true);
    try {
      let body: Record<string, unknown>;
      if (kind === 'run') {
        const budget = String(form.get('budgetUsd') ?? '').trim();
        body = {
          agent: form.get('agent'),
          task: form.get('task'),
          ...(budget ? { budgetUsd: Number(budget) } : {}),
        };
      } else {
        const input = String(form.get('input') ?? '').trim();
        let parsed: unknown = {};
        if (input) {
          try {
            parsed = JSON.parse(input);
          } catch (error) {
            throw new Error(`the input is not valid JSON: ${(error as Error).message}`);
          }
        }
        body = { workflow: form.get('workflow'), input: parsed };
      }
      const { runId } = await api<{ runId: string }>(kind === 'run' ? '/api/runs' : '/api/workflows', {
        method: 'POST',
        body,
      });
      location.hash = `#/runs/${runId}`;
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="start-title">
      <h1 id="start-title" tabIndex={-1}>
        Start
      </h1>
      {problem && (
        <p className="error-line" role="alert">
          {problem}
        </p>
      )}
      <div className="tiles">
        <form className="card tile wide" onSubmit={(e) => submit(e, 'run')} aria-labelledby="start-run-title">
          <h2 id="start-run-title">Run an agent</h2>
          <label>
            Agent
            <select name="agent" required>
              {agents.map((a) => (
                <option key={a.name} value={a.name}>
                  {a.name}
                  {a.delegates.length ? ` (delegates to ${a.delegates.join(', ')})` : ''}
                </option>
              ))}
            </select>
          </label>
          <label>
            Task
            <textarea name="task" required rows={3} placeholder="What should it do?" />
          </label>
          <label>
            Budget in USD (optional)
            <input name="budgetUsd" type="number" min="0" step="0.01" inputMode="decimal" />
          </label>
          <button type="submit" className="primary" disabled={busy || agents.length === 0}>
            Start run
          </button>
        </form>
        <form
          className="card tile wide"
          onSubmit={(e) => submit(e, 'workflow')}
          aria-labelledby="start-wf-title"
        >
          <h2 id="start-wf-title">Start a workflow</h2>
          {workflows.length === 0 ? (
            <p className="muted">No workflow files in the server's workflows directory.</p>
          ) : (
            <>
              <label>
                Workflow
                <select name="workflow" required>
                  {workflows.map((w) => (
                    <option key={w.name} value={w.name} disabled={w.error !== undefined}>
                      {w.name}
                      {w.description ? ` — ${w.description}` : ''}
                      {w.error ? ' (invalid)' : ''}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Input (JSON object, optional)
                <textarea name="input" rows={3} placeholder='{"request": "add a --verbose flag"}' />
              </label>
              <button type="submit" className="primary" disabled={busy}>
                Start workflow
              </button>
            </>
          )}
        </form>
      </div>
    </section>
  );
}
