import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { RunCard } from '../components/run-card';
import type { StreamStatus } from '../event-stream';
import { formatUsd } from '../format';
import { FrameBatcher } from '../frame-batcher';
import { followLive } from '../live-feed';
import { SwarmModel } from '../swarm-model';
import type { ApiEvent, SwarmSnapshot } from '../types';

const KEEP_FINISHED = 30;

/** Every running run as a lineage tree, updated live; recently finished runs below them. */
export function LiveSwarm({ onUnauthorized }: { onUnauthorized: () => void }) {
  const model = useRef(new SwarmModel()).current;
  const [, setTick] = useState(0);
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    const batcher = new FrameBatcher<ApiEvent>((events) => {
      for (const event of events) model.apply(event);
      model.prune(KEEP_FINISHED);
      setTick((t) => t + 1);
    });
    const stop = followLive({
      load: () => api<SwarmSnapshot>('/api/swarm'),
      loaded: (snapshot) => {
        model.load(snapshot.runs, snapshot.seq);
        setTick((t) => t + 1);
        return { path: '/api/events/stream', lastEventId: snapshot.seq };
      },
      onEvents: (events) => batcher.push(events),
      setStatus,
      setProblem,
      onUnauthorized,
    });
    return () => {
      stop();
      batcher.cancel();
    };
  }, [model, onUnauthorized]);

  const runs = [...model.runs.values()];
  const running = runs.filter((r) => r.status === 'running').sort((a, b) => b.startedAt - a.startedAt);
  const finished = runs
    .filter((r) => r.status !== 'running')
    .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0));
  const agents = running.reduce(
    (n, r) => n + [...r.nodes.values()].filter((x) => x.status === 'running').length,
    0,
  );
  const spend = runs.reduce((s, r) => s + r.costUsd, 0);

  return (
    <section aria-labelledby="swarm-title">
      <div className="page-head">
        <h1 id="swarm-title" tabIndex={-1}>
          Live swarm
        </h1>
        <span className={`stream stream-${status}`} role="status" aria-live="polite">
          {status === 'live' ? 'live' : status}
        </span>
        <span className="metric" data-testid="running-count">
          {running.length} running
        </span>
        <span className="metric">{agents} agents working</span>
        <span className="metric">{formatUsd(spend)} shown</span>
        <a className="button" href="#/start">
          Start a run or workflow
        </a>
      </div>
      {problem && (
        <p className="error-line" role="alert">
          {problem}
        </p>
      )}
      {running.length === 0 && <p className="muted">No run is running. Start one from “Start”.</p>}
      <div className="cards">
        {running.map((run) => (
          <RunCard key={run.id} run={run} version={run.version} />
        ))}
      </div>
      {finished.length > 0 && (
        <>
          <h2>Recently finished</h2>
          <div className="cards">
            {finished.map((run) => (
              <RunCard key={run.id} run={run} version={run.version} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
