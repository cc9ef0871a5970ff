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
  error: string | null;
}

export interface ApiEvent {
  seq: number;
  runId: string;
  nodeId: string;
  agent: string | null;
  depth: number | null;
  type: string;
  ts: number;
  // biome-ignore lint/suspicious/noExplicitAny: event payloads differ by type and are read field by field
  data: any;
}

export interface SwarmSnapshot {
  seq: number;
  runs: { run: RunRow; nodes: NodeRow[] }[];
}

export interface DagStep {
  id: string;
  kind: string;
  needs: string[];
  description?: string;
  detail?: string;
  status: string;
  attempts: number;
  error?: string;
  reason?: string;
  output?: unknown;
}

export interface WorkflowDag {
  runId: string;
  name: string;
  status: string;
  error?: string;
  steps: DagStep[];
}

export interface CostGroup {
  key: string | null;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  calls: number;
  runs: number;
  budgetUsd?: number | null;
}

export interface CostReport {
  by: string;
  from: number;
  to: number;
  groups: CostGroup[];
  total: CostGroup;
  budgets: {
    perRun: { usd?: number; tokens?: number };
    dailyUsd: number | null;
    agents: Record<string, { usd?: number; tokens?: number }>;
  };
}

export interface Fleet {
  node: string;
  engine: {
    kind: string;
    location: string;
    queue: { ready: number; leased: number; deadLetters: number };
    schedulerLeader: string | null;
  } | null;
  workers: {
    node: string;
    concurrency: number;
    inFlight: number;
    claimed: { taskId: string; deliveries: number; since: number }[];
  }[];
  runs: { owned: number; sseClients: number };
  gateway: GatewayBackend[] | null;
}

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

export interface AgentSummary {
  name: string;
  description: string;
  delegates: string[];
  tools: string[];
}

export interface WorkflowFile {
  name: string;
  file: string;
  description?: string;
  steps?: number;
  error?: string;
}
