import { z } from 'zod';
import { workerRecordSchema } from '../engine/index.js';

export const COST_GROUPINGS = ['run', 'agent', 'model', 'tenant', 'day', 'month'] as const;
export type CostGrouping = (typeof COST_GROUPINGS)[number];

/** Every error response. */
export const errorBody = z.object({
  error: z.object({
    code: z.string().describe('Stable, for scripts: run_not_found, malformed_json, unauthorized, ...'),
    message: z.string(),
    hint: z.string().optional().describe('What to do about it.'),
  }),
});

const runStatus = z.enum(['running', 'succeeded', 'failed', 'cancelled']);

export const runRow = z.object({
  id: z.string(),
  tenantId: z.string(),
  agent: z.string(),
  task: z.string(),
  status: runStatus,
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  output: z.string().nullable(),
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
});

export const nodeRow = z.object({
  id: z.string(),
  runId: z.string(),
  parentId: z.string().nullable(),
  agent: z.string(),
  task: z.string(),
  fingerprint: z.string(),
  depth: z.number(),
  status: runStatus,
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  steps: z.number(),
  modelCalls: z.number(),
  toolCalls: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  guard: z.string().nullable().describe('The guard that stopped this agent, if one did.'),
  output: z.string().nullable(),
  error: z.string().nullable(),
});

export interface TreeNode {
  node: z.infer<typeof nodeRow>;
  children: TreeNode[];
}
const treeNode: z.ZodType<TreeNode> = z.lazy(() => z.object({ node: nodeRow, children: z.array(treeNode) }));

export const apiEvent = z.object({
  seq: z.number().describe('The store sequence number; also the SSE event id.'),
  runId: z.string(),
  nodeId: z.string(),
  agent: z.string().nullable(),
  depth: z.number().nullable(),
  type: z.string(),
  ts: z.number(),
  data: z.unknown(),
});

export const listRunsQuery = z.object({
  status: runStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  tenant: z.string().min(1).optional(),
});

export const runList = z.object({ runs: z.array(runRow) });

export const runDetail = z.object({
  run: runRow,
  nodes: z.array(nodeRow),
  tree: z.array(treeNode).describe('The lineage: root agents with the agents they delegated to.'),
  steps: z.array(
    z.object({ stepId: z.string(), kind: z.string(), status: z.string(), attempts: z.number() }),
  ),
  owned: z.boolean().describe('Started by this server (it can cancel it directly).'),
  workflow: z.boolean(),
});

export const startRunBody = z.strictObject({
  agent: z.string().min(1).describe('Agent name (GET /api/agents).'),
  task: z.string().min(1).max(100_000),
  budgetUsd: z.number().positive().optional(),
  budgetTokens: z.number().int().positive().optional(),
  maxDepth: z.number().int().min(0).max(64).optional(),
  timeoutSeconds: z.number().positive().max(86_400).optional(),
});

export const accepted = z.object({ runId: z.string(), status: z.string() });

export const cancelBody = z.strictObject({ reason: z.string().min(1).max(500).optional() });

export const eventsQuery = z.object({
  after: z.coerce.number().int().min(0).default(0).describe('Only events with a larger seq.'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export const streamQuery = z.object({
  lastEventId: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Resume after this event id; the Last-Event-ID header does the same and wins.'),
});

export const eventList = z.object({ events: z.array(apiEvent), lastSeq: z.number() });

export const swarmSnapshot = z.object({
  seq: z.number().describe('Apply SSE events with a larger id on top of this snapshot.'),
  runs: z.array(z.object({ run: runRow, nodes: z.array(nodeRow) })),
});

export const swarmQuery = z.object({
  finishedWithinSeconds: z.coerce.number().int().min(0).max(86_400).default(300),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const startWorkflowBody = z
  .strictObject({
    workflow: z.string().min(1).optional().describe('Name of a file in the workflows directory.'),
    definition: z.record(z.string(), z.unknown()).optional().describe('A workflow definition, inline.'),
    input: z.record(z.string(), z.unknown()).default({}),
  })
  .refine((b) => (b.workflow === undefined) !== (b.definition === undefined), {
    message: 'give exactly one of "workflow" (a file name) or "definition" (an inline workflow)',
  });

export const approveBody = z.strictObject({
  approved: z.boolean().default(true).describe('false rejects the step, which fails it.'),
  note: z.string().max(2000).optional(),
  by: z.string().min(1).max(200).optional(),
});

export const validateAgentBody = z.strictObject({
  manifest: z
    .union([z.string().min(1), z.record(z.string(), z.unknown())])
    .optional()
    .describe('A manifest (YAML text or an object) to check against the others; omit to check them all.'),
});

export const costsQuery = z.object({
  by: z.enum(COST_GROUPINGS).default('agent'),
  from: z.string().optional().describe('ISO date or epoch milliseconds; default 30 days ago.'),
  to: z.string().optional().describe('ISO date or epoch milliseconds (exclusive); default now.'),
  tenant: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const costGroup = z.object({
  key: z.string().nullable(),
  costUsd: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  calls: z.number(),
  runs: z.number(),
  budgetUsd: z.number().nullable().optional(),
});

export const costResponse = z.object({
  by: z.enum(COST_GROUPINGS),
  from: z.number(),
  to: z.number(),
  groups: z.array(costGroup),
  total: costGroup,
  budgets: z.object({
    perRun: z.object({ usd: z.number().optional(), tokens: z.number().optional() }),
    dailyUsd: z.number().nullable(),
    agents: z.record(z.string(), z.object({ usd: z.number().optional(), tokens: z.number().optional() })),
  }),
});

export const fleetResponse = z.object({
  node: z.string(),
  engine: z
    .object({
      kind: z.string(),
      location: z.string(),
      queue: z.object({ ready: z.number(), leased: z.number(), deadLetters: z.number() }),
      schedulerLeader: z.string().nullable(),
    })
    .nullable(),
  workers: z.array(workerRecordSchema),
  runs: z.object({ owned: z.number(), sseClients: z.number() }),
  gateway: z.array(z.record(z.string(), z.unknown())).nullable(),
});

export const looseObject = z.record(z.string(), z.unknown());

export const workflowFiles = z.object({
  workflows: z.array(
    z.object({
      name: z.string(),
      file: z.string(),
      description: z.string().optional(),
      steps: z.number().optional(),
      error: z.string().optional().describe('Why the file cannot be started.'),
    }),
  ),
});

export const workflowDag = z.object({
  runId: z.string(),
  name: z.string(),
  status: z.string(),
  error: z.string().optional(),
  input: looseObject,
  steps: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      needs: z.array(z.string()),
      description: z.string().optional(),
      detail: z.string().optional(),
      status: z.string(),
      attempts: z.number(),
      error: z.string().optional(),
      reason: z.string().optional(),
      output: z.unknown(),
    }),
  ),
});

export const agentList = z.object({
  agents: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      model: z.union([z.string(), z.array(z.string())]).optional(),
      tools: z.array(z.string()),
      delegates: z.array(z.string()),
      limits: z.record(z.string(), z.unknown()),
      structuredOutput: z.boolean(),
      file: z.string(),
    }),
  ),
});

/** The shapes the API sends, for its clients (the dashboard imports these types). */
export type RunRowBody = z.infer<typeof runRow>;
export type NodeRowBody = z.infer<typeof nodeRow>;
export type ApiEvent = z.infer<typeof apiEvent>;
export type SwarmSnapshot = z.infer<typeof swarmSnapshot>;
export type CostGroup = z.infer<typeof costGroup>;
export type CostResponse = z.infer<typeof costResponse>;
export type FleetResponse = z.infer<typeof fleetResponse>;
export type WorkflowDagBody = z.infer<typeof workflowDag>;
export type WorkflowFileBody = z.infer<typeof workflowFiles>['workflows'][number];
export type AgentBody = z.infer<typeof agentList>['agents'][number];
