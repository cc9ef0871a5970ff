import type { Command } from 'commander';
import { runAction } from './action.js';

/** `swarm audit verify`. */
export function registerAudit(program: Command, globals: () => { config?: string }): void {
  const audit = program
    .command('audit')
    .description(
      'the decision audit log: delegations, side-effect tool calls, refusals, approvals, edits, merges',
    )
    .addHelpText(
      'after',
      `
Runs, workflows and workers append to .swarm/audit.jsonl (config: audit.file).

Example:
  $ swarm audit verify`,
    );
  audit
    .command('verify')
    .description('check that no audit record was altered, removed or reordered; exit 1 if one was')
    .argument(
      '[files...]',
      'audit logs (default: audit.file of the config and the per-process logs beside it)',
    )
    .option('--json', 'print the reports as JSON')
    .addHelpText(
      'after',
      `
Each record holds the SHA-256 of the record before it, so a change anywhere
breaks the chain at that record. The last record's hash (the head) is
printed: keep it elsewhere to also detect the newest records being cut off.

Examples:
  $ swarm audit verify
  $ swarm audit verify .swarm/audit.jsonl --json`,
    )
    .action((files: string[], opts) =>
      runAction(async () =>
        (await import('./commands/audit.js')).auditVerify(files, { ...globals(), ...opts }),
      ),
    );
}
