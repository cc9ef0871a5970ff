import pc from 'picocolors';
import type { AnyEvent } from '../core/events.js';
import { formatDuration, formatTokens, formatUsd, oneLine } from './format.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Live progress of a run on stderr. On a terminal it is one line redrawn in
 * place (agent, depth, tokens, cost, time); elsewhere it prints a line per
 * delegation, guard and finished agent, so logs show progress too. The
 * root agent's answer streams to stdout; the status line steps aside for it.
 */
export class StatusLine {
  private readonly started = Date.now();
  private tokens = 0;
  private usd = 0;
  private agent = '';
  private depth = 0;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private stdoutAtLineStart = true;
  private drawn = false;
  private readonly tty: boolean;

  constructor(
    private readonly rootNodeId: () => string | undefined,
    private readonly streamAnswer: boolean,
  ) {
    this.tty = Boolean(process.stderr.isTTY);
    if (this.tty) {
      this.timer = setInterval(() => this.draw(), 100);
      this.timer.unref();
    }
  }

  onEvent(event: AnyEvent): void {
    switch (event.type) {
      case 'agent.started':
        this.agent = event.agent;
        this.depth = event.depth;
        if (!this.tty && event.depth > 0)
          this.log(`${'  '.repeat(event.depth)}→ ${event.agent}: ${oneLine(event.data.task, 80)}`);
        break;
      case 'agent.finished':
        if (!this.tty && event.depth > 0)
          this.log(`${'  '.repeat(event.depth)}← ${event.agent} ${event.data.outcome}`);
        break;
      case 'model.call':
        this.tokens += event.data.inputTokens + event.data.outputTokens;
        this.usd += event.data.costUsd;
        this.agent = event.agent;
        this.depth = event.depth;
        break;
      case 'model.retry':
        this.log(
          pc.yellow(
            `retrying ${event.data.model} in ${formatDuration(event.data.delayMs)}: ${oneLine(event.data.reason, 100)}`,
          ),
        );
        break;
      case 'model.fallback':
        this.log(
          pc.yellow(
            `falling back from ${event.data.from} to ${event.data.to}: ${oneLine(event.data.reason, 100)}`,
          ),
        );
        break;
      case 'guard.tripped':
        this.log(pc.magenta(`guard ${event.data.guard}: ${oneLine(event.data.message, 160)}`));
        break;
      case 'model.delta':
        if (this.streamAnswer && event.nodeId === this.rootNodeId()) this.writeAnswer(event.data.text);
        break;
    }
  }

  /** Notes that the streamed answer was thrown away (a failed or retried call). */
  discardedAnswer(reason: string): void {
    if (!this.stdoutAtLineStart) this.writeAnswer('\n');
    this.log(pc.yellow(`(the text above was discarded: ${reason})`));
  }

  summary(): { tokens: number; usd: number; ms: number } {
    return { tokens: this.tokens, usd: this.usd, ms: Date.now() - this.started };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
    if (!this.stdoutAtLineStart) this.writeAnswer('\n');
  }

  log(line: string): void {
    this.clear();
    if (!this.stdoutAtLineStart) this.writeAnswer('\n');
    process.stderr.write(`${line}\n`);
  }

  private writeAnswer(text: string): void {
    this.clear();
    process.stdout.write(text);
    this.stdoutAtLineStart = text.endsWith('\n');
  }

  private clear(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
    this.drawn = false;
  }

  private draw(): void {
    if (!this.stdoutAtLineStart) return;
    this.frame = (this.frame + 1) % SPINNER.length;
    const line =
      `${pc.cyan(SPINNER[this.frame] ?? '')} ${pc.bold(this.agent || '…')}  depth ${this.depth}  ` +
      `${formatTokens(this.tokens)} tok  ${formatUsd(this.usd)}  ${formatDuration(Date.now() - this.started)}`;
    process.stderr.write(`\r\x1b[K${line}`);
    this.drawn = true;
  }
}
