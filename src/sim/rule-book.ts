import { compilePattern } from './pattern.js';
import type { Fault, Reply, Rule, Scenario } from './scenario.js';

/** What rules can test about a request, taken from its body. */
export interface RequestFeatures {
  model: string;
  /** System and developer messages, joined. */
  system: string;
  lastUser: string;
  /** Content of the last message when it is a tool result. */
  lastToolResult: string | undefined;
  toolNames: readonly string[];
}

export interface Selection {
  reply: Reply;
  fault: Fault | undefined;
  /** The rule's name, `rules[i]`, or `fallback`. */
  label: string;
  /** 1-based number of this generation request since start or the last reset. */
  requestNumber: number;
}

interface CompiledRule {
  rule: Rule;
  label: string;
  test: (features: RequestFeatures, requestNumber: number, elapsedMs: number) => boolean;
}

/**
 * Picks the reply for each generation request: the first rule whose
 * conditions all hold and which still has uses left, else the fallback.
 * Counting lives here so `request: N` and `times` see the same sequence.
 */
export class RuleBook {
  private readonly rules: CompiledRule[];
  private uses: number[];
  private received = 0;
  private startedAt: number;

  constructor(
    private readonly scenario: Scenario,
    private readonly clock: () => number = Date.now,
  ) {
    this.startedAt = clock();
    this.rules = scenario.rules.map((rule, i) => ({
      rule,
      label: rule.name ?? `rules[${i}]`,
      test: compileMatch(rule.match),
    }));
    this.uses = this.rules.map(() => 0);
  }

  select(features: RequestFeatures): Selection {
    this.received += 1;
    const requestNumber = this.received;
    const elapsed = this.clock() - this.startedAt;
    for (const [i, compiled] of this.rules.entries()) {
      const { rule } = compiled;
      if (rule.times !== undefined && (this.uses[i] ?? 0) >= rule.times) continue;
      if (!compiled.test(features, requestNumber, elapsed)) continue;
      this.uses[i] = (this.uses[i] ?? 0) + 1;
      // A fault without a reply still streams something before it strikes.
      return {
        reply: rule.reply ?? this.scenario.fallback,
        fault: rule.fault,
        label: compiled.label,
        requestNumber,
      };
    }
    return { reply: this.scenario.fallback, fault: undefined, label: 'fallback', requestNumber };
  }

  /** Starts counting requests, rule uses and `untilMs` windows afresh. */
  reset(): void {
    this.received = 0;
    this.startedAt = this.clock();
    this.uses = this.rules.map(() => 0);
  }
}

function compileMatch(match: Rule['match']): CompiledRule['test'] {
  const checks: CompiledRule['test'][] = [];
  const regex = (source: string | undefined, pick: (f: RequestFeatures) => string | undefined) => {
    if (source === undefined) return;
    const re = compilePattern(source);
    checks.push((f) => {
      const text = pick(f);
      return text !== undefined && re.test(text);
    });
  };
  if (match.model !== undefined) checks.push((f) => f.model === match.model);
  regex(match.system, (f) => f.system);
  regex(match.lastUser, (f) => f.lastUser);
  regex(match.lastToolResult, (f) => f.lastToolResult);
  if (match.hasTool !== undefined) checks.push((f) => f.toolNames.includes(match.hasTool ?? ''));
  if (match.noTools !== undefined) checks.push((f) => (f.toolNames.length === 0) === match.noTools);
  if (match.request !== undefined) checks.push((_, n) => n === match.request);
  if (match.untilMs !== undefined) checks.push((_, _n, elapsed) => elapsed < (match.untilMs ?? 0));
  return (features, n, elapsed) => checks.every((check) => check(features, n, elapsed));
}
