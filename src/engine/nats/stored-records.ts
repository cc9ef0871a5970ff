import { z } from 'zod';
import type { Json } from '../backend.js';
import { EngineDataError } from '../errors.js';

/** Whatever JSON.parse returned is JSON already; walking large payloads again would only cost time. */
const json = z.custom<Json>((value) => value !== undefined);

/** A task as published to its queue's stream. */
export const taskMessageSchema = z.object({
  id: z.string(),
  payload: json,
  headers: z.record(z.string(), z.string()),
  enqueuedAt: z.number(),
});
export type TaskMessage = z.infer<typeof taskMessageSchema>;

/**
 * What the queue remembers about a task in flight once it has been handed
 * back or redelivered: which delivery holds it now (the fencing token
 * against an earlier holder) and the error of each failed delivery.
 */
export const taskRecordSchema = z.object({
  delivery: z.number().int().positive(),
  errors: z.array(z.string()),
  /** Handed back by nak() and waiting for its next delivery. */
  back: z.boolean(),
});
export type TaskRecord = z.infer<typeof taskRecordSchema>;

export const deadLetterSchema = z.object({
  id: z.string(),
  payload: json,
  headers: z.record(z.string(), z.string()),
  deliveries: z.number().int(),
  errors: z.array(z.string()),
  deadAt: z.number(),
});

/** A KV value as Swarm stores it: the caller's JSON and, with a TTL, when it stops counting. */
export const kvEnvelopeSchema = z.object({ v: json, exp: z.number().optional() });
export type KvEnvelope = z.infer<typeof kvEnvelopeSchema>;

const decoder = new TextDecoder();

export function decodeRecord<T>(schema: z.ZodType<T>, data: Uint8Array, where: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(data));
  } catch (error) {
    throw new EngineDataError(where, `not JSON (${(error as Error).message})`);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw new EngineDataError(where, z.prettifyError(result.error));
  return result.data;
}
