import pc from 'picocolors';
import type { ProgressEvent } from '../../improve/pipeline/options.js';
import { oneLine } from '../format.js';

/**
 * Live progress of `swarm improve` on stderr: one line per event, each with
 * the running counts (planned, in flight, kept, rolled back, skipped), so a
 * terminal and a log file both show where the run is.
 */
export class ImproveProgress {
  private planned = 0;
  private inFlight = 0;
  private kept = 0;
  private rolledBack = 0;
  private skipped = 0;

  readonly onEvent = (event: ProgressEvent): void => {
    switch (event.kind) {
      case 'cycle':
        this.planned = this.inFlight = this.kept = this.rolledBack = this.skipped = 0;
        this.line(pc.bold(`cycle ${event.cycle}`), `from ${event.base.slice(0, 12)}: analysing`);
        break;
      case 'note':
        this.line(pc.yellow('!'), event.message);
        break;
      case 'planned':
        this.planned = event.candidates.length;
        this.line(pc.cyan('plan'), planLine(event.candidates.map((c) => c.id)));
        break;
      case 'started':
        this.inFlight++;
        this.line(pc.cyan('▸'), event.candidateId);
        break;
      case 'finished': {
        this.inFlight--;
        const { outcome, candidateId, reason, branch } = event.result;
        if (outcome === 'kept') this.kept++;
        else if (outcome === 'rolled_back') this.rolledBack++;
        else this.skipped++;
        const mark =
          outcome === 'kept'
            ? pc.green('✓ kept')
            : outcome === 'rolled_back'
              ? pc.red('✗ rolled back')
              : pc.dim('– skipped');
        this.line(mark, `${candidateId}${branch ? ` → ${branch}` : ''}: ${oneLine(reason, 140)}`);
        break;
      }
      case 'reviewed':
        this.line(
          event.approved ? pc.green('✓ approved') : pc.red('✗ rejected'),
          `${event.candidateId}: ${oneLine(event.reasons.join('; '), 140)}`,
        );
        break;
      case 'merge':
        this.line(pc.cyan('merge'), event.message);
        break;
    }
  };

  private line(mark: string, text: string): void {
    const counts = pc.dim(
      `[${this.planned} planned · ${this.inFlight} in flight · ${this.kept} kept · ${this.rolledBack} rolled back · ${this.skipped} skipped]`,
    );
    process.stderr.write(`${mark} ${text} ${counts}\n`);
  }
}

function planLine(ids: readonly string[]): string {
  const shown = ids.slice(0, 5).join(', ');
  return `${ids.length} candidate(s)${ids.length > 0 ? `: ${shown}${ids.length > 5 ? ', …' : ''}` : ''}`;
}
