/**
 * The API's shapes, taken from the server's zod schemas (types only: nothing
 * of the server is bundled), so the dashboard and the API cannot drift apart.
 */
import type {
  AgentBody,
  ApiEvent as ApiEventBody,
  CostGroup as CostGroupBody,
  CostResponse,
  FleetResponse,
  NodeRowBody,
  RunRowBody,
  WorkflowDagBody,
  WorkflowFileBody,
} from '../../src/server/schemas';

export type RunRow = RunRowBody;
export type RunStatus = RunRow['status'];
export type NodeRow = NodeRowBody;
export type CostGroup = CostGroupBody;
export type CostReport = CostResponse;
export type WorkflowDag = WorkflowDagBody;
export type DagStep = WorkflowDag['steps'][number];
export type WorkflowFile = WorkflowFileBody;
export type AgentSummary = AgentBody;

export type ApiEvent = Omit<ApiEventBody, 'data'> & {
  // biome-ignore lint/suspicious/noExplicitAny: event payloads differ by type and are read field by field
  data: any;
};

export interface SwarmSnapshot {
  seq: number;
  runs: { run: RunRow; nodes: NodeRow[] }[];
}

/** The gateway's BackendStatus as /api/fleet sends it. */
export interface GatewayBackend {
  name: string;
  models: string[];
  state: string;
  reason?: string;
  inFlight: number;
  maxConcurrency?: number;
  load: number;
  utilization: number;
  running?: number;
  waiting?: number;
  kvCacheUsage?: number;
  prefixCacheHitRatio?: number;
  cooldowns: number;
}

export type Fleet = Omit<FleetResponse, 'gateway'> & { gateway: GatewayBackend[] | null };
