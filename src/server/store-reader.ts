import Database from 'better-sqlite3';
import type { NodeRow, RunRow } from '../observe/index.js';
import type { ApiEvent } from './schemas.js';

export interface RunWithNodes {
  run: RunRow;
  nodes: NodeRow[];
}

const EVENT_SELECT = `SELECT e.seq, e.run_id AS runId, e.node_id AS nodeId, COALESCE(n.agent, r.agent) AS agent,
  n.depth AS depth, e.type, e.ts, e.data FROM events e
  LEFT JOIN nodes n ON n.id = e.node_id LEFT JOIN runs r ON r.id = e.run_id`;

const RUN_SELECT = `SELECT r.id, r.tenant_id AS tenantId, r.agent, r.task, r.status, r.started_at AS startedAt,
  r.finished_at AS finishedAt, r.output, r.error, r.error_code AS errorCode,
  COALESCE(SUM(n.input_tokens), 0) AS inputTokens, COALESCE(SUM(n.output_tokens), 0) AS outputTokens,
  COALESCE(SUM(n.cost_usd), 0) AS costUsd FROM runs r LEFT JOIN nodes n ON n.run_id = r.id`;

const NODE_SELECT = `SELECT id, run_id AS runId, parent_id AS parentId, agent, task, fingerprint, depth, status,
  started_at AS startedAt, finished_at AS finishedAt, steps, model_calls AS modelCalls, tool_calls AS toolCalls,
  input_tokens AS inputTokens, output_tokens AS outputTokens, cost_usd AS costUsd, guard, output, error
  FROM nodes`;

/**
 * A second, read-only connection to the run store for what the run store's
 * own API does not offer: events across all runs (the live feed), snapshots
 * that agree with an event sequence number (read in one transaction), and
 * cost aggregates. WAL lets it read while runs in any process write.
 */
export class StoreReader {
  readonly db: Database.Database;
  private readonly stmts;

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.stmts = {
      maxSeq: this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM events'),
      after: this.db.prepare(`${EVENT_SELECT} WHERE e.seq > ? ORDER BY e.seq LIMIT ?`),
      runAfter: this.db.prepare(`${EVENT_SELECT} WHERE e.run_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?`),
      liveRuns: this.db.prepare(
        `${RUN_SELECT} WHERE r.status = 'running' OR r.finished_at > ? GROUP BY r.id
         ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
      ),
      nodesOf: this.db.prepare(`${NODE_SELECT} WHERE run_id = ? ORDER BY started_at, rowid`),
    };
  }

  maxSeq(): number {
    return (this.stmts.maxSeq.get() as { seq: number }).seq;
  }

  eventsAfter(seq: number, limit: number): ApiEvent[] {
    return parseData(this.stmts.after.all(seq, limit) as RawEvent[]);
  }

  runEventsAfter(runId: string, seq: number, limit: number): ApiEvent[] {
    return parseData(this.stmts.runAfter.all(runId, seq, limit) as RawEvent[]);
  }

  /**
   * Running runs and those finished since `finishedSince`, with their nodes,
   * and the seq of the last event they reflect, all from one snapshot: a
   * client that applies events after `seq` counts nothing twice.
   */
  liveSnapshot(finishedSince: number, limit: number): { seq: number; runs: RunWithNodes[] } {
    return this.db.transaction(() => {
      const seq = this.maxSeq();
      const runs = (this.stmts.liveRuns.all(finishedSince, limit) as RunRow[]).map((run) => ({
        run,
        nodes: this.stmts.nodesOf.all(run.id) as NodeRow[],
      }));
      return { seq, runs };
    })();
  }

  close(): void {
    this.db.close();
  }
}

type RawEvent = Omit<ApiEvent, 'data'> & { data: string };

function parseData(rows: RawEvent[]): ApiEvent[] {
  return rows.map((row) => ({ ...row, data: JSON.parse(row.data) as unknown }));
}
