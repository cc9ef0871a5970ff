import { z } from 'zod';
import { budgetSchema } from '../core/config.js';

const modelRef = z
  .string()
  .min(1)
  .regex(
    /^[\w.-]+(:.+)?$/,
    'must be "provider:model" (like openai-compatible:qwen2.5-coder) or an alias from config',
  );

const nameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{0,47}$/,
    'must be lowercase letters, digits, _ or -, starting with a letter (max 48)',
  );

/** An agent, as written in `agents/<name>.yaml`. */
export const manifestSchema = z
  .object({
    name: nameSchema.describe('Unique agent name; other agents delegate to it by this name.'),
    description: z.string().min(1).describe('What the agent does; shown to agents that may delegate to it.'),
    instructions: z.string().min(1).describe('The system prompt.'),
    model: z
      .union([modelRef, z.array(modelRef).min(1)])
      .optional()
      .describe(
        'A model ("provider:model"), an alias from swarm.config.yaml, or a fallback list tried in order.',
      ),
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().positive().optional().describe('Most output tokens per model call.'),
    tools: z.array(z.string().min(1)).default([]).describe('Tools the agent may call, by name.'),
    toolSearch: z
      .array(
        z.union([
          z.string().min(1),
          z
            .object({
              matching: z.string().min(1).describe('The need, in words.'),
              k: z.number().int().min(1).max(20).default(3).describe('How many tools to add (default 3).'),
            })
            .strict(),
        ]),
      )
      .default([])
      .describe(
        'Tools found by need, in words ("read files", "query a database"): each adds the tools (3 unless k says otherwise) whose descriptions fit best, from the MCP servers and the built-ins.',
      ),
    delegates: z
      .array(nameSchema)
      .default([])
      .describe('Agents this agent may delegate to; each becomes a tool.'),
    limits: z
      .object({
        maxSteps: z
          .number()
          .int()
          .positive()
          .optional()
          .describe('Most model calls in one run of this agent.'),
        maxDepth: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe('Deepest delegation below a run of this agent.'),
        budget: budgetSchema.optional().describe('Spend limit for runs started with this agent.'),
        timeoutSeconds: z.number().positive().optional(),
      })
      .strict()
      .default({}),
    output: z
      .object({
        schema: z.record(z.string(), z.unknown()).describe('JSON Schema the final answer must satisfy.'),
        name: z.string().optional(),
        description: z.string().optional(),
      })
      .strict()
      .optional()
      .describe('Structured output: the final answer is JSON validated against this schema.'),
  })
  .strict();

export type AgentManifest = z.infer<typeof manifestSchema>;

/** The JSON Schema editors use to check manifests (`swarm agents schema`). */
export function manifestJsonSchema(): Record<string, unknown> {
  return {
    title: 'Swarm agent manifest',
    ...z.toJSONSchema(manifestSchema, { io: 'input' }),
  };
}
