import { memo, useState } from 'react';
import { api, errorText } from '../api';
import { formatTokens, formatUsd, shortId } from '../format';
import type { LiveRun } from '../swarm-model';
import { Elapsed } from './elapsed';
import { LineageTree } from './lineage-tree';
import { StatusBadge } from './status-badge';

interface Props {
  run: LiveRun;
  version: number;
}

/** One run of the live swarm: its header, a cancel button while it runs, and its lineage tree. */
export const RunCard = memo(
  function RunCard({ run }: Props) {
    const [problem, setProblem] = useState<string>();
    const [cancelling, setCancelling] = useState(false);
    const cancel = async () => {
      setCancelling(true);
      setProblem(undefined);
      try {
        await api(`/api/runs/${run.id}/cancel`, {
          method: 'POST',
          body: { reason: 'cancelled from the dashboard' },
        });
      } catch (error) {
        setProblem(errorText(error));
        setCancelling(false);
      }
    };
    return (
      <article
        className={`card run-card status-${run.status}`}
        data-run={run.id}
        aria-label={`run ${run.agent}: ${run.task}`}
      >
        <header>
          <a href={`#/runs/${run.id}`} className="run-link">
            <strong>{run.agent}</strong> <span className="muted">{shortId(run.id)}</span>
          </a>
          <StatusBadge status={run.status} />
          <span className="metric">{formatTokens(run.inputTokens + run.outputTokens)} tok</span>
          <span className="metric">{formatUsd(run.costUsd)}</span>
          <Elapsed since={run.startedAt} until={run.finishedAt} />
          {run.status === 'running' && (
            <button
              type="button"
              className="danger small"
              onClick={cancel}
              disabled={cancelling}
              aria-label={`cancel run ${run.agent} ${shortId(run.id)}`}
            >
              {cancelling ? 'cancelling…' : 'Cancel'}
            </button>
          )}
        </header>
        <p className="task-line" title={run.task}>
          {run.task}
        </p>
        {run.error && run.status !== 'succeeded' && <p className="error-line">{run.error}</p>}
        {problem && (
          <p className="error-line" role="alert">
            {problem}
          </p>
        )}
        <LineageTree run={run} />
      </article>
    );
  },
  (a, b) => a.version === b.version && a.run === b.run,
);
