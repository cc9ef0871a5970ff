import { randomFillSync } from 'node:crypto';

/** The SDK's id generator interface (sdk-trace-base's `IdGenerator`). */
export interface IdGenerator {
  generateTraceId(): string;
  generateSpanId(): string;
}

const POOL_SIZE = 4096;

/**
 * Random ids, except when a span must have ids chosen earlier: the run span,
 * exported when the run ends with the ids its tasks already carry. `with`
 * sets them for the one synchronous startSpan call inside it.
 */
export class ForcedIdGenerator implements IdGenerator {
  private forced: { traceId?: string; spanId: string } | undefined;
  private readonly pool = Buffer.alloc(POOL_SIZE);
  private offset = POOL_SIZE;

  with<T>(ids: { traceId?: string; spanId: string }, start: () => T): T {
    this.forced = ids;
    try {
      return start();
    } finally {
      this.forced = undefined;
    }
  }

  generateTraceId(): string {
    return this.forced?.traceId ?? this.random(16);
  }

  generateSpanId(): string {
    return this.forced?.spanId ?? this.random(8);
  }

  private random(bytes: number): string {
    if (this.offset + bytes > POOL_SIZE) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const id = this.pool.toString('hex', this.offset, this.offset + bytes);
    this.offset += bytes;
    // an all-zero id is invalid in W3C trace context
    return /^0+$/.test(id) ? this.random(bytes) : id;
  }
}
