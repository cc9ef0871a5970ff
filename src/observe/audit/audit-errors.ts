import { SwarmError } from '../../core/errors.js';

export class AuditLogCorruptError extends SwarmError {
  constructor(file: string, detail: string) {
    super('audit_log_corrupt', `the audit log ${file} cannot be appended to: ${detail}`, {
      hint: `Run \`swarm audit verify ${file}\` to see what is wrong; keep the file as evidence and move it aside (a new log starts in its place), or set audit.enabled: false.`,
    });
  }
}

export class AuditLogLockedError extends SwarmError {
  constructor(
    file: string,
    readonly holder: string,
  ) {
    super('audit_log_locked', `the audit log ${file} is being written by another process (${holder})`, {
      hint: 'Each process writes its own log: this one uses a file named after its host and pid beside it.',
    });
  }
}

export class AuditWriteError extends SwarmError {
  constructor(file: string, pending: number, cause: unknown) {
    super(
      'audit_write_failed',
      `could not write ${pending} audit records to ${file}: ${cause instanceof Error ? cause.message : cause}`,
      { hint: 'Free disk space or fix permissions; the records are kept in memory and retried.', cause },
    );
  }
}

export class AuditFileNotFoundError extends SwarmError {
  constructor(file: string) {
    super('audit_log_not_found', `no audit log at ${file}`, {
      hint: 'Give the path of an audit log (the default is .swarm/audit.jsonl), or run something first: the log is written by runs and workflows.',
    });
  }
}

export class AuditLogOpenError extends SwarmError {
  constructor(file: string, cause: unknown) {
    super(
      'audit_log_open_failed',
      `cannot open the audit log ${file}: ${cause instanceof Error ? cause.message : cause}`,
      {
        hint: 'Make its directory writable, point audit.file in swarm.config.yaml elsewhere, or set audit.enabled: false.',
        cause,
      },
    );
  }
}
