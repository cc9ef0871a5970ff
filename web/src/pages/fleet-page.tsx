import { api } from '../api';
import { formatDuration, shortId } from '../format';
import { useNow } from '../frame-batcher';
import { usePolling } from '../polling';
import type { Fleet } from '../types';

const pct = (v: number | undefined) => (v === undefined || v === null ? '–' : `${Math.round(v * 100)}%`);

/** Workers and what they hold, the engine's queue depth, the scheduler leader, the gateway's backends. */
const loadFleet = () => api<Fleet>('/api/fleet');

export function FleetPage() {
  const { data: fleet, problem } = usePolling(loadFleet, 2000);
  const now = useNow(1000);
  if (!fleet)
    return problem ? (
      <p className="error-line" role="alert">
        {problem}
      </p>
    ) : (
      <p className="muted">loading…</p>
    );
  const q = fleet.engine?.queue;
  return (
    <section aria-labelledby="fleet-title">
      <div className="page-head">
        <h1 id="fleet-title" tabIndex={-1}>
          Fleet
        </h1>
        <span className="metric">server {fleet.node}</span>
        <span className="metric">{fleet.runs.owned} runs in this server</span>
        <span className="metric">{fleet.runs.sseClients} live streams</span>
      </div>
      {problem && (
        <p className="error-line" role="alert">
          {problem}
        </p>
      )}
      <div className="tiles">
        <div className="card tile">
          <h2>Engine</h2>
          {fleet.engine ? (
            <>
              <p className="mono small">
                {fleet.engine.kind} · {fleet.engine.location}
              </p>
              <dl className="stats">
                <dt>queued</dt>
                <dd data-testid="queue-ready">{q?.ready}</dd>
                <dt>claimed</dt>
                <dd>{q?.leased}</dd>
                <dt>dead letters</dt>
                <dd className={q && q.deadLetters > 0 ? 'warn' : ''}>{q?.deadLetters}</dd>
              </dl>
              <p className="small">scheduler leader: {fleet.engine.schedulerLeader ?? 'none elected'}</p>
            </>
          ) : (
            <p className="muted">no engine in this server</p>
          )}
        </div>
        <div className="card tile wide">
          <h2>Workers on the engine</h2>
          {fleet.workers.length === 0 && (
            <p className="muted">none: start one with `swarm worker`, or `swarm serve` runs steps itself</p>
          )}
          {fleet.workers.map((w) => (
            <div key={w.node}>
              <p>
                <strong>{w.node}</strong> · {w.inFlight}/{w.concurrency} busy · up{' '}
                {formatDuration(now - w.startedAt)} · seen {formatDuration(Math.max(0, now - w.heartbeatAt))}{' '}
                ago
              </p>
              {w.claimed.length > 0 && (
                <ul className="claimed">
                  {w.claimed.map((c) => (
                    <li key={c.taskId} className="mono small">
                      {shortId(c.taskId)} · delivery {c.deliveries} · {formatDuration(now - c.since)}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ))}
          <p className="muted small">
            Each worker announces itself on the engine every 2 s; one silent for 6 s is gone.
          </p>
        </div>
      </div>
      <h2>Gateway backends</h2>
      {fleet.gateway === null ? (
        <p className="muted">
          The gateway does not run in this server (start it with `swarm serve --gateway`).
        </p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">gateway backends</caption>
          <thead>
            <tr>
              <th scope="col">backend</th>
              <th scope="col">models</th>
              <th scope="col">health</th>
              <th scope="col">in flight</th>
              <th scope="col">load</th>
              <th scope="col">running / waiting</th>
              <th scope="col">KV cache</th>
              <th scope="col">prefix cache hits</th>
            </tr>
          </thead>
          <tbody>
            {fleet.gateway.map((b) => (
              <tr key={b.name}>
                <th scope="row">{b.name}</th>
                <td>{b.models.join(', ')}</td>
                <td>
                  <span className={`badge health-${b.state}`}>{b.state}</span>
                  {b.reason ? <span className="muted small"> {b.reason}</span> : null}
                </td>
                <td>
                  {b.inFlight}
                  {b.maxConcurrency ? `/${b.maxConcurrency}` : ''}
                </td>
                <td>{pct(b.utilization)}</td>
                <td>
                  {b.running ?? '–'} / {b.waiting ?? '–'}
                </td>
                <td>{pct(b.kvCacheUsage)}</td>
                <td>{pct(b.prefixCacheHitRatio)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
