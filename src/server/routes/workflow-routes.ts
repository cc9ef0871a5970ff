import { z } from 'zod';
import { type ApiRoute, route } from '../api-route.js';
import { accepted, approveBody, startWorkflowBody, workflowDag, workflowFiles } from '../schemas.js';
import type { ServerDeps } from '../server-deps.js';
import { requireWorkflows } from './run-routes.js';

export function workflowRoutes(d: ServerDeps): ApiRoute<never, never>[] {
  return [
    route({
      method: 'get',
      path: '/api/workflows',
      tag: 'workflows',
      summary: 'The workflow files this server can start',
      response: workflowFiles,
      handler: () => ({ workflows: requireWorkflows(d).list() }),
    }),
    route({
      method: 'post',
      path: '/api/workflows',
      tag: 'workflows',
      summary: 'Start a workflow (a file of the workflows directory, or an inline definition)',
      body: startWorkflowBody,
      response: accepted,
      status: 202,
      handler: async ({ body }) => ({
        runId: await requireWorkflows(d).start(body, body.input),
        status: 'running',
      }),
    }),
    route({
      method: 'get',
      path: '/api/workflows/runs/:id',
      tag: 'workflows',
      summary: 'A workflow run as a DAG: every step with its dependencies and state',
      response: workflowDag,
      handler: ({ params }) => requireWorkflows(d).dag(d.runtime.store.resolveRunId(params.id!)),
    }),
    route({
      method: 'post',
      path: '/api/workflows/runs/:id/resume',
      tag: 'workflows',
      summary: 'Re-derive the run from its checkpoints and queue what is due (after a crash)',
      response: accepted,
      handler: async ({ params }) => {
        const runId = d.runtime.store.resolveRunId(params.id!);
        const run = await requireWorkflows(d).resume(runId);
        return { runId, status: run.status };
      },
    }),
    route({
      method: 'post',
      path: '/api/workflows/runs/:id/steps/:step/approve',
      tag: 'workflows',
      summary: 'Approve (or reject) a step waiting for a person',
      body: approveBody,
      bodyOptional: true,
      response: accepted.extend({ stepId: z.string(), approved: z.boolean() }),
      handler: async ({ params, body }) => {
        const runId = d.runtime.store.resolveRunId(params.id!);
        const run = await requireWorkflows(d).approve(runId, params.step!, {
          approved: body.approved,
          ...(body.by ? { by: body.by } : {}),
          ...(body.note ? { note: body.note } : {}),
        });
        return { runId, stepId: params.step!, approved: body.approved, status: run.status };
      },
    }),
  ] as ApiRoute<never, never>[];
}
