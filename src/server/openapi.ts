import { z } from 'zod';
import type { ApiRoute } from './api-route.js';
import { errorBody } from './schemas.js';

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  });
  return rest;
}

/** The OpenAPI 3.1 document of the routes, their shapes generated from the same zod schemas that check them. */
export function openApiDocument(
  routes: readonly ApiRoute<never, never>[],
  info: { version: string; authRequired: boolean },
): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes as readonly ApiRoute[]) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const parameters: JsonSchema[] = [...r.path.matchAll(/:(\w+)/g)].map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (r.query) {
      const query = schemaOf(r.query, 'input') as {
        properties?: Record<string, JsonSchema>;
        required?: string[];
      };
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        const { description, ...rest } = schema;
        parameters.push({
          name,
          in: 'query',
          required: query.required?.includes(name) ?? false,
          schema: rest,
          ...(description ? { description } : {}),
        });
      }
    }
    if (r.sse) {
      parameters.push({
        name: 'Last-Event-ID',
        in: 'header',
        required: false,
        schema: { type: 'string' },
        description: 'Resume after this event id (the store sequence number).',
      });
    }
    const success = r.sse
      ? {
          description:
            'Server-Sent Events; each event id is the store sequence number, data is one event as JSON.',
          content: { 'text/event-stream': { schema: { type: 'string' } } },
        }
      : {
          description: 'Success',
          content: { 'application/json': { schema: r.response ? schemaOf(r.response, 'output') : {} } },
        };
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method}${path.replace(/[{}]/g, '').replace(/[/_-](\w)/g, (_m, ch: string) => ch.toUpperCase())}`,
      ...(parameters.length ? { parameters } : {}),
      ...(r.body
        ? {
            requestBody: {
              required: !r.bodyOptional,
              content: { 'application/json': { schema: schemaOf(r.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [String(r.status ?? 200)]: success,
        default: {
          description: 'An error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Swarm API',
      version: info.version,
      description:
        'Runs, workflows, agents, events (SSE), costs and the fleet of a Swarm installation. ' +
        'Errors are always {"error": {"code", "message", "hint"}}.',
    },
    servers: [{ url: '/' }],
    ...(info.authRequired ? { security: [{ bearer: [] }] } : {}),
    components: {
      schemas: { Error: schemaOf(errorBody, 'output') },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The server key.' } },
    },
    paths,
  };
}
