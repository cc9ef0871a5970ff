/**
 * Every failure a caller may handle has its own class. Each carries a stable
 * `code` for scripts and a `hint` that tells the user what to do next, so the
 * CLI can print a helpful message instead of a stack trace.
 */
export class SwarmError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options?.hint;
  }
}

/** Base of the errors that `CascadeContext` guards raise; `guard` names which one tripped. */
export abstract class GuardError extends SwarmError {
  abstract readonly guard: 'depth' | 'cycle' | 'circuit' | 'budget' | 'deadline' | 'cancelled';
  readonly lineage: string;

  constructor(code: string, message: string, lineage: string, hint?: string) {
    super(code, `${message} (lineage: ${lineage})`, hint === undefined ? undefined : { hint });
    this.lineage = lineage;
  }
}

export class DepthLimitError extends GuardError {
  readonly guard = 'depth';
  constructor(limit: number, lineage: string) {
    super(
      'depth_limit',
      `delegation refused: depth would exceed the limit of ${limit}`,
      lineage,
      'Raise limits.maxDepth in the manifest or config if the task really needs deeper delegation.',
    );
  }
}

export class CycleError extends GuardError {
  readonly guard = 'cycle';
  constructor(agent: string, lineage: string) {
    super(
      'delegation_cycle',
      `delegation refused: agent "${agent}" is already working on the same task in this lineage`,
      lineage,
      'The agents are passing the same task back and forth; change the instructions so one of them answers.',
    );
  }
}

export class CircuitOpenError extends GuardError {
  readonly guard = 'circuit';
  constructor(failure: string, times: number, lineage: string) {
    super(
      'circuit_open',
      `circuit breaker open: the same error happened ${times} times in a row: ${failure}`,
      lineage,
      'Fix the cause of the repeated error (a tool, a model endpoint or the task) before running again.',
    );
  }
}

export class BudgetExceededError extends GuardError {
  readonly guard = 'budget';
  constructor(detail: string, lineage: string) {
    super(
      'budget_exceeded',
      `budget exhausted: ${detail}`,
      lineage,
      'Raise the budget (--budget-usd, --budget-tokens, or limits.budget in the manifest) or lower maxTokens.',
    );
  }
}

export class DeadlineExceededError extends GuardError {
  readonly guard = 'deadline';
  constructor(lineage: string) {
    super('deadline_exceeded', 'deadline passed', lineage, 'Give the run more time (--timeout).');
  }
}

export class CancelledError extends GuardError {
  readonly guard = 'cancelled';
  constructor(reason: string, lineage: string) {
    super('cancelled', `cancelled: ${reason}`, lineage);
  }
}

/** A configuration or definition file that cannot be used; names the file, line and field. */
export class InvalidFileError extends SwarmError {
  readonly file: string;
  readonly problems: readonly FileProblem[];

  constructor(code: string, file: string, problems: readonly FileProblem[], hint?: string) {
    const lines = problems.map(
      (p) =>
        `  ${file}${p.line === undefined ? '' : `:${p.line}${p.column === undefined ? '' : `:${p.column}`}`}` +
        `${p.path ? ` ${p.path}` : ''}: ${p.message}`,
    );
    super(code, `${file} is not valid:\n${lines.join('\n')}`, hint === undefined ? undefined : { hint });
    this.file = file;
    this.problems = problems;
  }
}

export interface FileProblem {
  /** Dotted path of the field that is wrong, e.g. `limits.maxSteps`. Empty for syntax errors. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export class ConfigError extends InvalidFileError {
  constructor(file: string, problems: readonly FileProblem[]) {
    super('invalid_config', file, problems, 'Fix the fields listed above; `swarm doctor` checks the config.');
  }
}

/** Errors whose message is meant for the user; anything else is a bug and is reported as one. */
export function isSwarmError(error: unknown): error is SwarmError {
  return error instanceof SwarmError;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
