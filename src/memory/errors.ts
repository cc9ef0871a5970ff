import { SwarmError } from '../core/errors.js';

/** Another process is writing the same memory store. */
export class MemoryLockedError extends SwarmError {
  constructor(dir: string, pid: number) {
    super('memory_locked', `the memory store ${dir} is being written by another process (pid ${pid})`, {
      hint: 'Wait for that ingest to finish, or stop it; searches can run meanwhile.',
    });
  }
}

/** A store file that cannot be read: not a Swarm memory file, truncated, or from a newer version. */
export class MemoryCorruptError extends SwarmError {
  constructor(file: string, detail: string) {
    super('memory_corrupt', `the memory file ${file} cannot be read: ${detail}`, {
      hint: 'If another swarm version wrote it, upgrade; otherwise move the memory directory away and ingest again.',
    });
  }
}

/** The store was built with one embedder and is opened with another. */
export class EmbedderMismatchError extends SwarmError {
  constructor(dir: string, stored: string, requested: string) {
    super(
      'memory_embedder_mismatch',
      `the memory store ${dir} holds vectors from ${stored}, not from ${requested}`,
      {
        hint: `Open it with the same embedder, or re-embed the store with the new one (--reembed; lexical search keeps working while it runs).`,
      },
    );
  }
}

/** The embeddings endpoint kept failing; ingest goes on lexically and the vectors are made later. */
export class EmbeddingEndpointError extends SwarmError {
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(
    url: string,
    detail: string,
    options: { status?: number; retryable: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super('embedding_endpoint_failed', `the embeddings endpoint ${url} failed: ${detail}`, {
      hint: options.retryable
        ? 'Lexical search keeps working; embedding resumes on the next ingest or `swarm memory embed` once the endpoint is back.'
        : 'Check the embedding model name, the base URL and the API key (`swarm doctor` checks configured endpoints).',
      cause: options.cause,
    });
    this.status = options.status;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** A path given to ingest that does not exist. */
export class IngestPathError extends SwarmError {
  constructor(path: string) {
    super('memory_path_not_found', `cannot ingest ${path}: no such file or directory`, {
      hint: 'Check the path; relative paths are taken from the current directory.',
    });
  }
}

/** Options or a query that do not fit the schema; lists each problem. */
export class MemoryOptionError extends SwarmError {
  constructor(what: string, problems: readonly string[]) {
    super('memory_invalid_options', `invalid ${what}: ${problems.join('; ')}`, {
      hint: 'See the memory options in README.md (Memory) or `swarm memory --help`.',
    });
  }
}

/** A search of a memory store that was never made. */
export class MemoryNotFoundError extends SwarmError {
  constructor(dir: string) {
    super('memory_not_found', `there is no memory store at ${dir}: nothing has been ingested there yet`, {
      hint: 'Make one with `swarm memory ingest <paths...>`, or point memory.dir in swarm.config.yaml at an existing one.',
    });
  }
}
