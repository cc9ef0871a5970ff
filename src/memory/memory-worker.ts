import { parentPort } from 'node:worker_threads';
import { buildHnsw } from './hnsw-index.js';
import type { SegmentEntry } from './manifest.js';
import { mergeSegments } from './segment-merge.js';

/** The jobs the background worker thread runs: file in, file out, nothing shared with the main thread. */
export type WorkerJob =
  | { type: 'merge'; dir: string; inputs: SegmentEntry[]; outputId: number; embedderId: string }
  | { type: 'hnsw'; dir: string; entry: SegmentEntry; embedderId: string };

export interface WorkerRequest {
  id: number;
  job: WorkerJob;
}

export type WorkerReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };

function run(job: WorkerJob): unknown {
  if (job.type === 'merge') return mergeSegments(job.dir, job.inputs, job.outputId, job.embedderId);
  return buildHnsw(job.dir, job.entry, job.embedderId);
}

parentPort?.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id: request.id, ok: true, result: run(request.job) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
