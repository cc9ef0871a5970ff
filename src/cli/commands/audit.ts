import { readdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { loadConfig, resolvePath } from '../../core/config.js';
import { AuditFileNotFoundError, type AuditReport, verifyAuditLog } from '../../observe/index.js';
import { printJson } from '../format.js';

export async function auditVerify(
  files: string[],
  opts: { config?: string; json?: boolean },
): Promise<number> {
  const targets = files.length > 0 ? files.map((f) => resolve(f)) : defaultLogs(opts.config);
  const reports: AuditReport[] = targets.map((file) => verifyAuditLog(file));
  if (opts.json) printJson(reports.length === 1 ? reports[0] : reports);
  else for (const report of reports) print(report);
  return reports.every((r) => r.ok) ? 0 : 1;
}

/** The configured log and the per-process logs written beside it (`<name>.<host>-<pid>.jsonl`). */
function defaultLogs(configFile: string | undefined): string[] {
  const config = loadConfig({ cwd: process.cwd(), file: configFile });
  const main = resolvePath(config, config.audit.file);
  const dir = dirname(main);
  const stem = basename(main).replace(/\.jsonl$/, '');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new AuditFileNotFoundError(main);
  }
  const logs = names
    .filter((n) => n === basename(main) || (n.startsWith(`${stem}.`) && n.endsWith('.jsonl')))
    .sort()
    .map((n) => join(dir, n));
  if (logs.length === 0) throw new AuditFileNotFoundError(main);
  return logs;
}

function print(report: AuditReport): void {
  const name = relative(process.cwd(), report.file) || report.file;
  if (report.ok) {
    const head = report.head ? `, head seq ${report.head.seq} ${report.head.hash}` : '';
    process.stdout.write(`${pc.green('✓')} ${name}: ${report.records} records, chain intact${head}\n`);
    return;
  }
  process.stdout.write(
    `${pc.red('✗')} ${name}: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} in ${report.records} records\n`,
  );
  for (const p of report.problems) {
    const where = `line ${p.line}${p.seq === undefined ? '' : ` (seq ${p.seq})`}`;
    process.stdout.write(`  ${where}: ${pc.bold(p.kind)}: ${p.message}\n`);
  }
}
