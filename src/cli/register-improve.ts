import type { Command } from 'commander';
import { runAction } from './action.js';
import { countFromOne } from './option-parsers.js';

function list(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/** `swarm improve`: the main job. The pipeline is imported only when the command runs. */
export function registerImprove(program: Command, globals: () => { config?: string }): void {
  program
    .command('improve')
    .description(
      'analyse a git repository, apply each improvement in its own worktree, keep what passes its tests, merge, and keep a roadmap',
    )
    .argument('<repo>', 'path to the git repository to improve')
    .option('--dry-run', 'print the plan and stop: nothing is applied')
    .option('--max <n>', 'candidates tried per cycle, best first', countFromOne)
    .option(
      '--skills <list>',
      'only these: split-file, lazy-load, extract-duplicate, simplify, llm-edit (comma-separated)',
      list,
    )
    .option(
      '-m, --model <ref>',
      'model for edits and reviews (provider:model or an alias); none: codemods only',
    )
    .option('--merge', 'fast-forward the target branch to the tested result (only when green)')
    .option(
      '--merge-threshold <n>',
      'fast-forward without --merge once this many changes are approved (default 50)',
      countFromOne,
    )
    .option('--target <branch>', 'the branch to improve (default: the checked-out branch)')
    .option('-w, --workers <n>', 'candidates applied at once (workflow workers, default 2)', countFromOne)
    .option(
      '--cycles <n>',
      'repeat analyse → plan → apply → merge up to n times, each from the last result',
      countFromOne,
    )
    .option(
      '--allow-dirty',
      'work from the last commit even with uncommitted changes (they are never touched)',
    )
    .option(
      '--no-tests',
      'keep changes in a repository with no test command (lint and typecheck still gate them)',
    )
    .option('--test-command <cmd>', 'test command to use instead of the detected one (e.g. a narrower one)')
    .option('--lint-command <cmd>', 'lint command instead of the detected one; "none" for no lint gate')
    .option(
      '--typecheck-command <cmd>',
      'typecheck command instead of the detected one; "none" for no typecheck gate',
    )
    .option(
      '--timeout <seconds>',
      'time bound of each test, lint or typecheck run (default 600)',
      countFromOne,
    )
    .option('--batch <n>', 'branches merged between test runs of the integration (default 5)', countFromOne)
    .option('--max-file-lines <n>', 'files over this many lines are split (default 500)', countFromOne)
    .option('--agents <dir>', 'manifest directory holding the improver and reviewer agents (with --model)')
    .option('--json', 'print the run report as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ swarm improve . --dry-run                        the plan, nothing applied
  $ swarm improve ../app --max 5                     tested branches swarm/<run>/..., your tree untouched
  $ swarm improve ../app --merge --cycles 3          and fast-forward the branch when green, three times over
  $ swarm improve ../app --model local:qwen --json   with LLM edits and reviews; report as JSON`,
    )
    .action((repo: string, opts) =>
      runAction(async () => (await import('./commands/improve.js')).improve(repo, { ...globals(), ...opts })),
    );
}
