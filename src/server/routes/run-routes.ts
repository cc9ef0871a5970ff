import type { NodeRow } from '../../observe/index.js';
import { type ApiRoute, route } from '../api-route.js';
import { InvalidRequestError, WorkflowsUnavailableError } from '../errors.js';
import {
  accepted,
  cancelBody,
  eventList,
  eventsQuery,
  listRunsQuery,
  runDetail,
  runList,
  startRunBody,
  streamQuery,
  swarmQuery,
  swarmSnapshot,
  type TreeNode,
} from '../schemas.js';
import type { ServerDeps } from '../server-deps.js';
import { sseResponse } from '../sse-response.js';

/** Nodes arranged as the lineage tree: each root with the agents it delegated to, in start order. */
export function lineageTree(nodes: readonly NodeRow[]): TreeNode[] {
  const byId = new Map<string, TreeNode>(nodes.map((node) => [node.id, { node, children: [] }]));
  const roots: TreeNode[] = [];
  for (const entry of byId.values()) {
    const parent = entry.node.parentId ? byId.get(entry.node.parentId) : undefined;
    if (parent) parent.children.push(entry);
    else roots.push(entry);
  }
  return roots;
}

/** The Last-Event-ID header, else the lastEventId query parameter. */
function lastEventId(header: string | undefined, query: number | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return query;
  const value = Number(header.trim());
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidRequestError('query', [
      `Last-Event-ID: "${header}" is not an event id (a non-negative integer)`,
    ]);
  }
  return value;
}

export function runRoutes(d: ServerDeps): ApiRoute<never, never>[] {
  const store = d.runtime.store;
  const resolve = (id: string) => store.resolveRunId(id);
  return [
    route({
      method: 'get',
      path: '/api/runs',
      tag: 'runs',
      summary: 'Recent runs, newest first, with their tokens and cost',
      query: listRunsQuery,
      response: runList,
      handler: ({ query }) => ({
        runs: store.listRuns({
          limit: query.limit,
          ...(query.status ? { status: query.status } : {}),
          ...(query.tenant ? { tenantId: query.tenant } : {}),
        }),
      }),
    }),
    route({
      method: 'post',
      path: '/api/runs',
      tag: 'runs',
      summary: 'Start an agent on a task; the run goes on in this server',
      body: startRunBody,
      response: accepted,
      status: 202,
      handler: ({ body }) => ({ runId: d.runs.start(body), status: 'running' }),
    }),
    route({
      method: 'get',
      path: '/api/runs/:id',
      tag: 'runs',
      summary: 'A run with its lineage tree of agents and its workflow steps',
      response: runDetail,
      handler: ({ params }) => {
        const id = resolve(params.id!);
        const { run, nodes, steps } = store.getRun(id);
        return {
          run,
          nodes,
          tree: lineageTree(nodes),
          steps,
          owned: d.runs.owns(id),
          workflow: run.agent.startsWith('workflow:'),
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/runs/:id/cancel',
      tag: 'runs',
      summary: 'Cancel a run (this server’s own runs, and workflow runs on its engine)',
      body: cancelBody,
      bodyOptional: true,
      response: accepted,
      status: 202,
      handler: async ({ params, body }) => {
        const id = resolve(params.id!);
        const { run } = store.getRun(id);
        const status = await d.runs.cancel(
          id,
          run.status,
          run.agent.startsWith('workflow:'),
          body.reason ?? 'cancelled from the API',
        );
        return { runId: id, status };
      },
    }),
    route({
      method: 'get',
      path: '/api/runs/:id/events',
      tag: 'events',
      summary: 'A page of a run’s stored events',
      query: eventsQuery,
      response: eventList,
      handler: ({ params, query }) => {
        const id = resolve(params.id!);
        d.feed.pump();
        const events = d.reader.runEventsAfter(id, query.after, query.limit);
        return { events, lastSeq: events.at(-1)?.seq ?? query.after };
      },
    }),
    route({
      method: 'get',
      path: '/api/runs/:id/events/stream',
      tag: 'events',
      summary: 'A run’s events, live (SSE): its whole history first, or from Last-Event-ID',
      query: streamQuery,
      sse: true,
      handler: ({ params, query, c }) =>
        sseResponse(
          d.feed,
          resolve(params.id!),
          lastEventId(c.req.header('last-event-id'), query.lastEventId),
        ),
    }),
    route({
      method: 'get',
      path: '/api/events/stream',
      tag: 'events',
      summary: 'Every run’s events, live (SSE): from now, or from Last-Event-ID',
      query: streamQuery,
      sse: true,
      handler: ({ query, c }) =>
        sseResponse(d.feed, undefined, lastEventId(c.req.header('last-event-id'), query.lastEventId)),
    }),
    route({
      method: 'get',
      path: '/api/swarm',
      tag: 'runs',
      summary: 'Running and recently finished runs with their agents, as of event `seq`',
      query: swarmQuery,
      response: swarmSnapshot,
      handler: ({ query }) => {
        d.feed.pump();
        return d.reader.liveSnapshot(Date.now() - query.finishedWithinSeconds * 1000, query.limit);
      },
    }),
  ] as ApiRoute<never, never>[];
}

export function requireWorkflows(d: ServerDeps) {
  if (!d.workflows) throw new WorkflowsUnavailableError();
  return d.workflows;
}
