import { z } from 'zod';
import { summarise, validateManifests } from '../agent-service.js';
import { type ApiRoute, route } from '../api-route.js';
import { costReport } from '../cost-report.js';
import { GatewayNotRunningError, InvalidRequestError } from '../errors.js';
import { agentList, costResponse, costsQuery, fleetResponse, validateAgentBody } from '../schemas.js';
import type { ServerDeps } from '../server-deps.js';

const DAY_MS = 86_400_000;

function instant(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(value)) {
    throw new InvalidRequestError('query', [
      `${name}: "${text}" is neither an ISO date nor epoch milliseconds`,
    ]);
  }
  return value;
}

const validation = z.object({
  ok: z.boolean(),
  agents: z.array(z.string()).optional(),
  problems: z
    .array(
      z.object({
        file: z.string(),
        path: z.string(),
        message: z.string(),
        line: z.number().optional(),
        column: z.number().optional(),
      }),
    )
    .optional(),
});

export function infoRoutes(d: ServerDeps): ApiRoute<never, never>[] {
  const { runtime } = d;
  return [
    route({
      method: 'get',
      path: '/api/agents',
      tag: 'agents',
      summary: 'The agents this server can run',
      response: agentList,
      handler: () => ({ agents: summarise(runtime.registry) }),
    }),
    route({
      method: 'post',
      path: '/api/agents/validate',
      tag: 'agents',
      summary: 'Check the manifests on disk, or one manifest against them',
      body: validateAgentBody,
      bodyOptional: true,
      response: validation,
      handler: ({ body }) => validateManifests(d.agentsDir, new Set(runtime.tools.keys()), body.manifest),
    }),
    route({
      method: 'get',
      path: '/api/costs',
      tag: 'costs',
      summary: 'Spend grouped by run, agent, model, tenant, day or month, with the budgets',
      query: costsQuery,
      response: costResponse,
      handler: ({ query }) => {
        d.feed.pump();
        const to = instant('to', query.to, Date.now());
        const from = instant('from', query.from, to - 30 * DAY_MS);
        const report = costReport(d.reader.db, {
          by: query.by,
          from,
          to,
          tenantId: query.tenant,
          limit: query.limit,
        });
        const agents: Record<string, { usd?: number; tokens?: number }> = {};
        for (const { manifest } of runtime.registry.list()) {
          if (manifest.limits.budget) agents[manifest.name] = manifest.limits.budget;
        }
        return {
          by: query.by,
          from,
          to,
          ...report,
          budgets: { perRun: runtime.config.budget, dailyUsd: d.config.budgets.dailyUsd ?? null, agents },
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/fleet',
      tag: 'fleet',
      summary: 'Workers, engine queue depth, the scheduler leader and the gateway backends',
      response: fleetResponse,
      handler: async () => {
        const wf = d.workflows;
        return {
          node: d.node,
          engine: wf
            ? {
                kind: wf.backend.kind,
                location: wf.backend.location,
                queue: await wf.engine.queue.stats(),
                schedulerLeader: (await wf.schedulerLeader()) ?? null,
              }
            : null,
          workers: wf ? await wf.workers() : [],
          runs: { owned: d.runs.running, sseClients: d.feed.clientCount },
          gateway: d.gateway ? d.gateway.backends() : null,
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/gateway/backends',
      tag: 'fleet',
      summary: 'The in-process gateway’s backends: health, load, cache hit ratio',
      response: z.object({ backends: z.array(z.record(z.string(), z.unknown())) }),
      handler: () => {
        if (!d.gateway) throw new GatewayNotRunningError();
        return { backends: d.gateway.backends() };
      },
    }),
  ] as ApiRoute<never, never>[];
}
