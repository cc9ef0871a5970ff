import type Database from 'better-sqlite3';
import { type AnyEvent, type EventBus, TRANSIENT_EVENTS } from '../core/events.js';
import { AmbiguousRunIdError, RunNotFoundError, StoreReadOnlyError, StoreWriteError } from './errors.js';
import { MIGRATIONS } from './migrations.js';
import { SecretRedactor } from './redact.js';
import { isReadOnly, openSqlite } from './sqlite-file.js';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface RunRow {
  id: string;
  tenantId: string;
  agent: string;
  task: string;
  status: RunStatus;
  startedAt: number;
  finishedAt: number | null;
  output: string | null;
  error: string | null;
  errorCode: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface NodeRow {
  id: string;
  runId: string;
  parentId: string | null;
  agent: string;
  task: string;
  fingerprint: string;
  depth: number;
  status: RunStatus;
  startedAt: number;
  finishedAt: number | null;
  steps: number;
  modelCalls: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  guard: string | null;
  output: string | null;
  error: string | null;
}

export interface StepRow {
  stepId: string;
  kind: string;
  status: string;
  attempts: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
}

export interface StoredEvent {
  seq: number;
  runId: string;
  nodeId: string;
  type: string;
  ts: number;
  data: unknown;
}

const FLUSH_AT = 512;

interface NodeCounters {
  steps: number;
  modelCalls: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/**
 * The embedded record of every run: a table of runs, one of lineage nodes and
 * the event log. Events are buffered and written in one transaction when the
 * event loop next turns (group commit: runs that end together share one
 * commit, and a node's counters are added once per commit), which keeps the
 * per-call overhead in microseconds. Readers flush first; a failed write
 * keeps the events in memory for the next flush: nothing is dropped.
 */
export class RunStore {
  private readonly db: Database.Database;
  private pending: AnyEvent[] = [];
  private scheduled = false;
  private lastError: StoreWriteError | undefined;
  private readonly write: (events: AnyEvent[]) => void;
  private readonly statements;

  private readonly onError: (error: StoreWriteError) => void;
  private readonly redactor: SecretRedactor;

  constructor(
    readonly file: string,
    options: {
      /** Told once per distinct write failure; the events stay pending. */
      onError?: (error: StoreWriteError) => void;
      /** How long a write waits for another process's lock before failing. */
      busyTimeoutMs?: number;
      /** Removes secrets from event payloads before they are stored; by default, known shapes and secret environment variables. */
      redactor?: SecretRedactor;
    } = {},
  ) {
    this.onError = options.onError ?? (() => {});
    this.redactor = options.redactor ?? SecretRedactor.fromEnvironment();
    this.db = openSqlite(file, 'runs', MIGRATIONS, options.busyTimeoutMs);
    const db = this.db;
    this.statements = {
      event: db.prepare('INSERT INTO events (run_id, node_id, type, ts, data) VALUES (?, ?, ?, ?, ?)'),
      runStart: db.prepare(
        `INSERT INTO runs (id, tenant_id, agent, task, status, started_at) VALUES (?, ?, ?, ?, 'running', ?)`,
      ),
      runFinish: db.prepare(
        'UPDATE runs SET status = ?, finished_at = ?, output = ?, error = ?, error_code = ? WHERE id = ?',
      ),
      nodeStart: db.prepare(
        `INSERT INTO nodes (id, run_id, parent_id, agent, task, fingerprint, depth, status, started_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?)`,
      ),
      nodeFinish: db.prepare(
        'UPDATE nodes SET status = ?, finished_at = ?, output = ?, error = ?, guard = COALESCE(?, guard) WHERE id = ?',
      ),
      nodeCounters: db.prepare(
        `UPDATE nodes SET steps = steps + ?, model_calls = model_calls + ?, tool_calls = tool_calls + ?,
         input_tokens = input_tokens + ?, output_tokens = output_tokens + ?, cost_usd = cost_usd + ? WHERE id = ?`,
      ),
      nodeGuard: db.prepare('UPDATE nodes SET guard = ? WHERE id = ?'),
      stepStart: db.prepare(
        `INSERT INTO steps (run_id, step_id, kind, status, attempts, started_at) VALUES (?, ?, ?, 'running', ?, ?)
         ON CONFLICT (run_id, step_id) DO UPDATE SET status = 'running', attempts = MAX(attempts, excluded.attempts)`,
      ),
      stepFinish: db.prepare(
        `INSERT INTO steps (run_id, step_id, kind, status, finished_at, error) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, step_id) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at,
         error = excluded.error`,
      ),
    };
    this.write = db.transaction((events: AnyEvent[]) => {
      const counters = new Map<string, NodeCounters>();
      for (const event of events) this.apply(event, counters);
      for (const [nodeId, c] of counters) {
        this.statements.nodeCounters.run(
          c.steps,
          c.modelCalls,
          c.toolCalls,
          c.inputTokens,
          c.outputTokens,
          c.costUsd,
          nodeId,
        );
      }
    });
  }

  /** Records every non-transient event of the bus; returns the unsubscribe function. */
  attach(bus: EventBus): () => void {
    return bus.subscribe((event) => this.record(event));
  }

  record(event: AnyEvent): void {
    if (TRANSIENT_EVENTS.has(event.type)) return;
    this.pending.push({ ...event, data: this.redactor.value(event.data) } as AnyEvent);
    if (this.pending.length >= FLUSH_AT) {
      this.tryFlush();
    } else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.tryFlush());
    }
  }

  /** Writes everything pending; throws `StoreWriteError` if it cannot. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    try {
      this.write(batch);
      this.pending = [];
      this.lastError = undefined;
    } catch (error) {
      if (isReadOnly(error)) throw new StoreReadOnlyError(this.file, error);
      throw new StoreWriteError(this.file, batch.length, error);
    }
  }

  private tryFlush(): void {
    try {
      this.flush();
    } catch (error) {
      const writeError =
        error instanceof StoreWriteError ? error : new StoreWriteError(this.file, this.pending.length, error);
      if (this.lastError?.message !== writeError.message) this.onError(writeError);
      this.lastError = writeError;
    }
  }

  private apply(e: AnyEvent, counters: Map<string, NodeCounters>): void {
    const s = this.statements;
    const count = () => {
      let c = counters.get(e.nodeId);
      if (!c) {
        c = { steps: 0, modelCalls: 0, toolCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
        counters.set(e.nodeId, c);
      }
      return c;
    };
    s.event.run(e.runId, e.nodeId, e.type, e.ts, JSON.stringify(e.data));
    switch (e.type) {
      case 'run.started':
        s.runStart.run(e.runId, e.data.tenantId, e.agent, e.data.task, e.ts);
        break;
      case 'run.finished':
        s.runFinish.run(
          e.data.outcome,
          e.ts,
          e.data.output ?? null,
          e.data.error ?? null,
          e.data.errorCode ?? null,
          e.runId,
        );
        break;
      case 'agent.started':
        s.nodeStart.run(
          e.nodeId,
          e.runId,
          e.data.parentNodeId ?? null,
          e.agent,
          e.data.task,
          e.data.fingerprint,
          e.depth,
          e.ts,
        );
        break;
      case 'agent.finished':
        s.nodeFinish.run(
          e.data.outcome,
          e.ts,
          e.data.output ?? null,
          e.data.error ?? null,
          e.data.guard ?? null,
          e.nodeId,
        );
        break;
      case 'agent.step':
        count().steps++;
        break;
      case 'model.call': {
        const c = count();
        c.modelCalls++;
        c.inputTokens += e.data.inputTokens;
        c.outputTokens += e.data.outputTokens;
        c.costUsd += e.data.costUsd;
        break;
      }
      case 'tool.call':
        count().toolCalls++;
        break;
      case 'guard.tripped':
        s.nodeGuard.run(e.data.guard, e.nodeId);
        break;
      case 'step.started':
        if (e.data.item === undefined && e.data.iteration === undefined) {
          s.stepStart.run(e.runId, e.data.stepId, e.data.kind, e.data.attempt, e.ts);
        }
        break;
      case 'step.finished':
        s.stepFinish.run(
          e.runId,
          e.data.stepId,
          e.data.kind,
          e.data.status,
          e.ts,
          e.data.error ?? e.data.reason ?? null,
        );
        break;
    }
  }

  listRuns(options: { tenantId?: string; limit?: number; status?: RunStatus } = {}): RunRow[] {
    this.tryFlush();
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.tenantId) {
      where.push('r.tenant_id = ?');
      params.push(options.tenantId);
    }
    if (options.status) {
      where.push('r.status = ?');
      params.push(options.status);
    }
    params.push(options.limit ?? 50);
    return this.db
      .prepare(
        `${RUN_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         GROUP BY r.id ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
      )
      .all(...params) as RunRow[];
  }

  /** How many runs the store holds in each status (the `swarm_runs` gauge). */
  countRunsByStatus(): Record<RunStatus, number> {
    this.tryFlush();
    const counts: Record<RunStatus, number> = { running: 0, succeeded: 0, failed: 0, cancelled: 0 };
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM runs GROUP BY status').all() as {
      status: RunStatus;
      n: number;
    }[];
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  /** The full id of the run whose id starts with `prefix` (users type a few characters). */
  resolveRunId(prefix: string): string {
    this.tryFlush();
    const rows = this.db
      .prepare(`SELECT id FROM runs WHERE id >= ? AND id < ? ORDER BY id LIMIT 5`)
      .all(prefix, `${prefix}\uffff`) as { id: string }[];
    const exact = rows.find((r) => r.id === prefix);
    if (exact) return exact.id;
    if (rows.length === 1) return rows[0]!.id;
    if (rows.length === 0) throw new RunNotFoundError(prefix);
    throw new AmbiguousRunIdError(
      prefix,
      rows.map((r) => r.id),
    );
  }

  getRun(id: string, tenantId?: string): { run: RunRow; nodes: NodeRow[]; steps: StepRow[] } {
    this.tryFlush();
    const run = this.db
      .prepare(`${RUN_SELECT} WHERE r.id = ? ${tenantId ? 'AND r.tenant_id = ?' : ''} GROUP BY r.id`)
      .get(...(tenantId ? [id, tenantId] : [id])) as RunRow | undefined;
    if (!run) throw new RunNotFoundError(id);
    const nodes = this.db
      .prepare(
        `SELECT id, run_id AS runId, parent_id AS parentId, agent, task, fingerprint, depth, status,
         started_at AS startedAt, finished_at AS finishedAt, steps, model_calls AS modelCalls,
         tool_calls AS toolCalls, input_tokens AS inputTokens, output_tokens AS outputTokens,
         cost_usd AS costUsd, guard, output, error FROM nodes WHERE run_id = ? ORDER BY started_at, rowid`,
      )
      .all(id) as NodeRow[];
    const steps = this.db
      .prepare(
        `SELECT step_id AS stepId, kind, status, attempts, started_at AS startedAt, finished_at AS finishedAt, error
         FROM steps WHERE run_id = ? ORDER BY COALESCE(started_at, finished_at), rowid`,
      )
      .all(id) as StepRow[];
    return { run, nodes, steps };
  }

  events(runId: string, options: { afterSeq?: number; limit?: number } = {}): StoredEvent[] {
    this.tryFlush();
    const rows = this.db
      .prepare(
        `SELECT seq, run_id AS runId, node_id AS nodeId, type, ts, data FROM events
         WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      )
      .all(runId, options.afterSeq ?? 0, options.limit ?? 10_000) as (StoredEvent & { data: string })[];
    return rows.map((row) => ({ ...row, data: JSON.parse(row.data) }));
  }

  close(): void {
    try {
      this.flush();
    } finally {
      this.db.close();
    }
  }
}

const RUN_SELECT = `SELECT r.id, r.tenant_id AS tenantId, r.agent, r.task, r.status, r.started_at AS startedAt,
  r.finished_at AS finishedAt, r.output, r.error, r.error_code AS errorCode,
  COALESCE(SUM(n.input_tokens), 0) AS inputTokens, COALESCE(SUM(n.output_tokens), 0) AS outputTokens,
  COALESCE(SUM(n.cost_usd), 0) AS costUsd
  FROM runs r LEFT JOIN nodes n ON n.run_id = r.id`;
