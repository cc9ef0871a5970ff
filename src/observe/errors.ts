import { SwarmError } from '../core/errors.js';

export class StoreReadOnlyError extends SwarmError {
  constructor(file: string, cause?: unknown) {
    super('store_read_only', `the store ${file} is read-only, so this run could not be recorded`, {
      hint: `Make it writable (chmod u+w ${file}) or use another store with --store <path> or store: in swarm.config.yaml.`,
      cause,
    });
  }
}

export class StoreOpenError extends SwarmError {
  constructor(file: string, cause: unknown) {
    super(
      'store_open_failed',
      `cannot open the store ${file}: ${cause instanceof Error ? cause.message : cause}`,
      {
        hint: 'Check that the directory exists and is writable, and that no other program holds the file locked.',
        cause,
      },
    );
  }
}

export class StoreVersionError extends SwarmError {
  constructor(file: string, found: number, known: number) {
    super('store_too_new', `the store ${file} has schema version ${found}; this swarm knows up to ${known}`, {
      hint: 'Upgrade swarm, or point --store at a different file.',
    });
  }
}

export class StoreWriteError extends SwarmError {
  constructor(file: string, pending: number, cause: unknown) {
    super(
      'store_write_failed',
      `could not write ${pending} events to ${file}: ${cause instanceof Error ? cause.message : cause}`,
      { hint: 'Free disk space or fix permissions; the events are kept in memory and retried.', cause },
    );
  }
}

export class RunNotFoundError extends SwarmError {
  constructor(id: string) {
    super('run_not_found', `no run with id "${id}"`, { hint: 'List runs with `swarm runs list`.' });
  }
}

export class AmbiguousRunIdError extends SwarmError {
  constructor(prefix: string, matches: readonly string[]) {
    super('run_id_ambiguous', `"${prefix}" matches several runs: ${matches.join(', ')}`, {
      hint: 'Give more characters of the run id.',
    });
  }
}
