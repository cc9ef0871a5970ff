/**
 * The seeded workload of the routing benchmark, after production-stack's
 * multi-round QA and SGLang's shared-prefix benchmarks: sessions whose
 * system prompt is drawn from a Zipf-popular set and whose turns carry the
 * growing conversation, plus 20% one-off prompts that share nothing.
 */

export interface WorkloadOptions {
  seed: number;
  systemPrompts: number;
  /** Zipf exponent of system-prompt popularity. */
  zipf: number;
  systemTokens: number;
  /** Turns per session, uniform in [min, max]. */
  turns: [number, number];
  userTokens: [number, number];
  outputTokens: [number, number];
  /** Share of requests that are one-off prompts. */
  uniqueShare: number;
  uniqueTokens: number;
  /** Mean think time between a reply and the session's next turn. */
  thinkMs: number;
}

export const WORKLOAD: WorkloadOptions = {
  seed: 20_260_301,
  systemPrompts: 96,
  zipf: 0.9,
  systemTokens: 1_500,
  turns: [2, 6],
  userTokens: [40, 160],
  outputTokens: [60, 180],
  uniqueShare: 0.2,
  uniqueTokens: 1_400,
  thinkMs: 2_000,
};

const CHARS_PER_TOKEN = 4;

/** mulberry32: small, fast and good enough to make runs reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  'the of model cache token prefix batch request server latency route queue answer system user prompt review code test plan step data index shard vector memory budget gateway stream error retry policy load'.split(
    ' ',
  );

/** About `tokens` tokens of deterministic text. */
export function text(random: () => number, tokens: number, lead: string): string {
  const target = tokens * CHARS_PER_TOKEN;
  let out = lead;
  while (out.length < target) out += ` ${WORDS[Math.floor(random() * WORDS.length)]}`;
  return out.slice(0, target);
}

export function between(random: () => number, [lo, hi]: [number, number]): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

export function exponential(random: () => number, mean: number): number {
  return -Math.log(1 - random()) * mean;
}

/** A conversation: its system prompt and, per turn, the user's message and the reply's length and text. */
export interface Session {
  id: number;
  system: number;
  /** `thinkMs`: the pause after this turn's reply before the next turn is sent. */
  turns: { user: string; outputTokens: number; reply: string; thinkMs: number }[];
}

export class Workload {
  readonly systems: string[];
  private readonly cumulative: number[];

  constructor(readonly options: WorkloadOptions) {
    const random = seeded(options.seed);
    this.systems = Array.from({ length: options.systemPrompts }, (_, k) =>
      text(random, options.systemTokens, `System prompt ${k}: you are assistant number ${k}.`),
    );
    let sum = 0;
    this.cumulative = this.systems.map((_, k) => {
      sum += 1 / (k + 1) ** options.zipf;
      return sum;
    });
  }

  /** Mean requests per session, for turning a request rate into a session rate. */
  get meanTurns(): number {
    return (this.options.turns[0] + this.options.turns[1]) / 2;
  }

  /** The next session (content is fixed by the seed and the order sessions are drawn in). */
  session(id: number): Session {
    const r = seeded(this.options.seed ^ (id * 7919 + 1));
    const point = r() * (this.cumulative.at(-1) ?? 1);
    const system = this.cumulative.findIndex((c) => c >= point);
    const turns = Array.from({ length: between(r, this.options.turns) }, (_, t) => {
      const outputTokens = between(r, this.options.outputTokens);
      return {
        user: text(r, between(r, this.options.userTokens), `Turn ${t} of session ${id}:`),
        outputTokens,
        reply: text(r, outputTokens, `Reply ${t}:`),
        thinkMs: exponential(r, this.options.thinkMs),
      };
    });
    return { id, system: Math.max(0, system), turns };
  }

  /** The prompt of turn `t`, laid out as the gateway and the simulator lay out chat messages. */
  prompt(session: Session, t: number): string {
    const parts = [`system: ${this.systems[session.system]}`];
    for (let i = 0; i <= t; i++) {
      const turn = session.turns[i];
      if (!turn) break;
      parts.push(`user: ${turn.user}`);
      if (i < t) parts.push(`assistant: ${turn.reply}`);
    }
    return parts.join('\n');
  }

  /** A one-off prompt sharing no prefix with anything else. */
  unique(id: number): { prompt: string; outputTokens: number } {
    const r = seeded(this.options.seed ^ (id * 104_729 + 7));
    return {
      prompt: `user: ${text(r, this.options.uniqueTokens, `One-off request ${id}:`)}`,
      outputTokens: between(r, this.options.outputTokens),
    };
  }

  /**
   * Open-loop arrivals at `rate` requests per second over `count` requests:
   * Poisson starts of sessions and of one-off prompts in the workload's
   * proportions. Later turns follow their session's replies, so they are
   * not in this list.
   */
  arrivals(
    rate: number,
    count: number,
    seed: number,
  ): { at: number; kind: 'session' | 'unique'; id: number }[] {
    const r = seeded(seed);
    const uniqueRate = rate * this.options.uniqueShare;
    const sessionRate = (rate - uniqueRate) / this.meanTurns;
    const total = uniqueRate + sessionRate;
    const out: { at: number; kind: 'session' | 'unique'; id: number }[] = [];
    let at = 0;
    let requests = 0;
    let sessions = 0;
    let uniques = 0;
    while (requests < count) {
      at += exponential(r, 1000 / total);
      if (r() < uniqueRate / total) {
        out.push({ at, kind: 'unique', id: uniques++ });
        requests += 1;
      } else {
        out.push({ at, kind: 'session', id: sessions++ });
        requests += this.meanTurns;
      }
    }
    return out;
  }
}
