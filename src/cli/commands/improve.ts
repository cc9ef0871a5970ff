import pc from 'picocolors';
import type { DetectedCommand } from '../../improve/analyse/index.js';
import { ImproveCancelledError } from '../../improve/pipeline/errors.js';
import type { ImproveOptions, ImproveReport } from '../../improve/pipeline/options.js';
import { runImprove } from '../../improve/pipeline/run-improve.js';
import { skillPicker } from '../../improve/pipeline/skill-picker.js';
import { SKILLS, type SkillName } from '../../improve/plan/index.js';
import { SKILL_KINDS, type SkillKind } from '../../improve/skills/index.js';
import { InvalidInputError } from '../errors.js';
import { printJson } from '../format.js';
import { openImproveSession } from './improve-model.js';
import { ImproveProgress } from './improve-progress.js';
import { shellWords } from './shell-words.js';

export interface ImproveCommandOptions {
  config?: string;
  dryRun?: boolean;
  max?: number;
  skills?: string[];
  model?: string;
  merge?: boolean;
  mergeThreshold?: number;
  target?: string;
  workers?: number;
  cycles?: number;
  allowDirty?: boolean;
  /** commander's `--no-tests`: false when given. */
  tests?: boolean;
  testCommand?: string;
  lintCommand?: string;
  typecheckCommand?: string;
  timeout?: number;
  batch?: number;
  maxFileLines?: number;
  agents?: string;
  json?: boolean;
}

export async function improve(repo: string, opts: ImproveCommandOptions): Promise<number> {
  const { planSkills, only } = parseSkills(opts.skills);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const session = await openImproveSession(opts);
  const progress = opts.json ? undefined : new ImproveProgress();
  try {
    const options: ImproveOptions = {
      repo,
      ...(opts.target ? { target: opts.target } : {}),
      dryRun: opts.dryRun ?? false,
      ...(opts.max === undefined ? {} : { max: opts.max }),
      ...(planSkills ? { skills: planSkills } : {}),
      merge: opts.merge ?? false,
      ...(opts.mergeThreshold === undefined ? {} : { mergeThreshold: opts.mergeThreshold }),
      ...(opts.workers === undefined ? {} : { workers: opts.workers }),
      ...(opts.cycles === undefined ? {} : { cycles: opts.cycles }),
      allowDirty: opts.allowDirty ?? false,
      noTests: opts.tests === false,
      commands: commandOverrides(opts),
      ...(opts.timeout === undefined ? {} : { commandTimeoutMs: opts.timeout * 1000 }),
      ...(opts.batch === undefined ? {} : { batchSize: opts.batch }),
      ...(opts.maxFileLines === undefined ? {} : { maxFileLines: opts.maxFileLines }),
      ...(session.model ? { model: session.model } : {}),
      pickSkill: skillPicker(only),
      signal: controller.signal,
      ...(progress ? { onProgress: progress.onEvent } : {}),
    };
    const report = await runImprove(options, session.events);
    if (opts.json) printJson(report);
    else printSummary(report);
    return controller.signal.aborted ? 130 : 0;
  } catch (error) {
    if (!(error instanceof ImproveCancelledError)) throw error;
    process.stderr.write(`${pc.yellow('interrupted:')} ${error.message}; ${error.hint}\n`);
    return 130;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await session.close();
  }
}

function parseSkills(values: string[] | undefined): { planSkills?: SkillName[]; only?: SkillKind[] } {
  if (!values || values.length === 0) return {};
  const known = new Set<string>([...SKILLS, ...SKILL_KINDS]);
  const unknown = values.filter((v) => !known.has(v));
  if (unknown.length > 0) {
    throw new InvalidInputError(
      `unknown skill(s) ${unknown.join(', ')}; choose from ${[...known].join(', ')}`,
    );
  }
  const planSkills = values.filter((v): v is SkillName => (SKILLS as readonly string[]).includes(v));
  const only = values.filter((v): v is SkillKind => (SKILL_KINDS as readonly string[]).includes(v));
  return {
    ...(planSkills.length > 0 ? { planSkills } : {}),
    ...(only.length > 0 ? { only } : {}),
  };
}

function commandOverrides(opts: ImproveCommandOptions): ImproveOptions['commands'] {
  const out: NonNullable<ImproveOptions['commands']> = {};
  const given: Array<['test' | 'lint' | 'typecheck', string | undefined]> = [
    ['test', opts.testCommand],
    ['lint', opts.lintCommand],
    ['typecheck', opts.typecheckCommand],
  ];
  for (const [purpose, line] of given) {
    if (line === undefined) continue;
    if (line.trim() === 'none' && purpose !== 'test') {
      out[purpose] = null;
      continue;
    }
    const argv = shellWords(line);
    if (argv.length === 0) throw new InvalidInputError(`--${purpose}-command is empty`);
    out[purpose] = { argv, source: `--${purpose}-command` } satisfies DetectedCommand;
  }
  return out;
}

function printSummary(report: ImproveReport): void {
  const out = process.stdout;
  if (report.dryRun) {
    out.write(report.planMarkdown ?? '');
    return;
  }
  for (const cycle of report.cycles) {
    const kept = cycle.results.filter((r) => r.outcome === 'kept').length;
    const rolled = cycle.results.filter((r) => r.outcome === 'rolled_back').length;
    const skipped = cycle.results.filter((r) => r.outcome === 'skipped').length;
    out.write(
      `${pc.bold(`cycle ${cycle.cycle}`)}: ${kept} kept, ${rolled} rolled back, ${skipped} skipped\n`,
    );
    const m = cycle.merge;
    if (m) {
      out.write(
        `  integration: ${m.integrationBranch} (${m.merged.length} merged, ${m.dropped.length} dropped)\n`,
      );
      out.write(
        m.target.moved
          ? `  ${pc.green(`${m.target.branch} fast-forwarded`)} to ${m.target.to?.slice(0, 12)}\n`
          : `  ${m.target.branch} not moved: ${m.target.reason}\n`,
      );
    }
    for (const note of cycle.notes) out.write(`  ${pc.dim(note)}\n`);
  }
  out.write(`report: ${report.files.markdown}\n        ${report.files.json}\n`);
}
