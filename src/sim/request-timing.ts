/** Seconds spent in each phase of one request, as vLLM's histograms record them. */
export interface TimingSummary {
  queueS: number;
  prefillS: number;
  decodeS: number;
  ttftS: number;
  e2eS: number;
  /** Per-token gaps after the first token: [seconds per token, tokens]. */
  tokenGaps: [number, number][];
}

/** Marks the moments of one request: arrival, admission to a slot, each write, the end. */
export class RequestTiming {
  private firstAt: number | undefined;
  private lastAt: number | undefined;
  private readonly gaps: [number, number][] = [];

  constructor(
    private readonly arrivedAt: number,
    private readonly admittedAt: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Some output went out, carrying about `tokens` tokens. */
  wrote(tokens: number): void {
    const now = this.clock();
    if (this.firstAt === undefined) this.firstAt = now;
    else if (this.lastAt !== undefined && tokens > 0)
      this.gaps.push([(now - this.lastAt) / 1000 / tokens, tokens]);
    this.lastAt = now;
  }

  summary(): TimingSummary {
    const end = this.clock();
    const first = this.firstAt ?? end;
    return {
      queueS: (this.admittedAt - this.arrivedAt) / 1000,
      prefillS: (first - this.admittedAt) / 1000,
      decodeS: (end - first) / 1000,
      ttftS: (first - this.arrivedAt) / 1000,
      e2eS: (end - this.arrivedAt) / 1000,
      tokenGaps: this.gaps,
    };
  }
}
