import type Database from 'better-sqlite3';
import type { CostGroup, CostGrouping } from './schemas.js';

export interface CostQuery {
  by: CostGrouping;
  from: number;
  to: number;
  tenantId?: string | undefined;
  limit: number;
}

const MODEL_CALLS = `FROM events e JOIN runs r ON r.id = e.run_id
  WHERE e.type = 'model.call' AND e.ts >= @from AND e.ts < @to AND (@tenant IS NULL OR r.tenant_id = @tenant)`;
const CALL_COLUMNS = `COALESCE(SUM(json_extract(e.data, '$.costUsd')), 0) AS costUsd,
  COALESCE(SUM(json_extract(e.data, '$.inputTokens')), 0) AS inputTokens,
  COALESCE(SUM(json_extract(e.data, '$.outputTokens')), 0) AS outputTokens,
  COUNT(*) AS calls, COUNT(DISTINCT e.run_id) AS runs`;

/**
 * Every figure is a sum over the recorded `model.call` events, so the
 * groupings always add up to the same total: by run, agent, tenant, or the
 * model and the day the call was made on (UTC).
 */
const QUERIES: Record<CostGrouping, string> = {
  run: `SELECT e.run_id AS key, ${CALL_COLUMNS},
    (SELECT json_extract(s.data, '$.budget.usd') FROM events s WHERE s.run_id = e.run_id AND s.type = 'run.started'
     ORDER BY s.seq LIMIT 1) AS budgetUsd ${MODEL_CALLS} GROUP BY e.run_id ORDER BY costUsd DESC, key LIMIT @limit`,
  agent: `SELECT COALESCE(n.agent, r.agent) AS key, ${CALL_COLUMNS} ${MODEL_CALLS.replace(
    'JOIN runs r',
    'LEFT JOIN nodes n ON n.id = e.node_id JOIN runs r',
  )} GROUP BY key ORDER BY costUsd DESC, key LIMIT @limit`,
  model: `SELECT json_extract(e.data, '$.model') AS key, ${CALL_COLUMNS} ${MODEL_CALLS}
    GROUP BY key ORDER BY costUsd DESC, key LIMIT @limit`,
  tenant: `SELECT r.tenant_id AS key, ${CALL_COLUMNS} ${MODEL_CALLS} GROUP BY key ORDER BY costUsd DESC, key LIMIT @limit`,
  day: `SELECT strftime('%Y-%m-%d', e.ts / 1000, 'unixepoch') AS key, ${CALL_COLUMNS} ${MODEL_CALLS}
    GROUP BY key ORDER BY key LIMIT @limit`,
  month: `SELECT strftime('%Y-%m', e.ts / 1000, 'unixepoch') AS key, ${CALL_COLUMNS} ${MODEL_CALLS}
    GROUP BY key ORDER BY key LIMIT @limit`,
};

export function costReport(
  db: Database.Database,
  query: CostQuery,
): { groups: CostGroup[]; total: CostGroup } {
  const params = { from: query.from, to: query.to, tenant: query.tenantId ?? null, limit: query.limit };
  const groups = db.prepare(QUERIES[query.by]).all(params) as CostGroup[];
  const total = db.prepare(`SELECT 'total' AS key, ${CALL_COLUMNS} ${MODEL_CALLS}`).get(params) as CostGroup;
  return { groups, total };
}
