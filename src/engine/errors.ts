import { SwarmError } from '../core/errors.js';

export class LeaseLostError extends SwarmError {
  constructor(what: string) {
    super('lease_lost', `${what}: the lease had expired and passed to another holder`, {
      hint: 'The work took longer than its lease without a heartbeat; raise leaseMs or extend() more often.',
    });
  }
}

export class InvalidNameError extends SwarmError {
  constructor(kind: string, name: string, pattern: RegExp) {
    super('invalid_engine_name', `${kind} "${name}" is not allowed: it must match ${pattern}`, {
      hint: 'Use letters, digits, "-" and "_" (keys may also use ".", "/" and "=").',
    });
  }
}

export class EngineUnavailableError extends SwarmError {
  constructor(location: string, cause: unknown) {
    super(
      'engine_unavailable',
      `cannot reach the engine at ${location}: ${cause instanceof Error ? cause.message : cause}`,
      {
        hint: 'Check that the server runs (nats-server -js) or that the SQLite file is writable; see `swarm doctor`.',
        cause,
      },
    );
  }
}

export class InvalidEngineUrlError extends SwarmError {
  constructor(url: string) {
    super('invalid_engine_url', `unknown engine "${url}"`, {
      hint: 'Use sqlite:<path> (default sqlite:.swarm/swarm.db) or nats://host:4222.',
    });
  }
}

export class EngineDataError extends SwarmError {
  constructor(where: string, problem: string) {
    super('engine_data_invalid', `${where} holds data Swarm did not write: ${problem}`, {
      hint: 'Another program writes to this stream or bucket; give Swarm its own NATS account, or reset the queue.',
    });
  }
}

export class EngineRefusedError extends SwarmError {
  constructor(what: string, detail: string) {
    super('engine_refused', `the engine refused to ${what}: ${detail}`, {
      hint: 'Swarm needs nats-server 2.9 or newer with JetStream enabled; if it has that, please report this error.',
    });
  }
}
