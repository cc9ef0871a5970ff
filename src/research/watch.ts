import { watch } from 'node:fs';
import { resolve } from 'node:path';
import { IMPROVEMENTS_FILE, type ResearchOptions, type ResearchReport, runResearch } from './pipeline.js';

export interface WatchOptions extends Omit<ResearchOptions, 'sources'> {
  /** Quiet time after the last change before a run starts: editors write a file in several steps. */
  debounceMs?: number;
  signal: AbortSignal;
  onReport: (report: ResearchReport) => void;
  /** A failed run (a malformed improvements.md, arXiv down) is reported and watching goes on. */
  onError: (error: unknown) => void;
}

/**
 * Watches improvements.md and processes each new arXiv link once: a run at
 * start for links added while nobody watched, then one after every change
 * (debounced). Runs never overlap; a change during a run starts another
 * after it. The directory is watched, not the file, because editors and
 * our own atomic writes replace the file with a new one.
 */
export async function watchImprovements(options: WatchOptions): Promise<void> {
  const dir = resolve(options.projectDir);
  const { debounceMs = 500, signal, onReport, onError, ...research } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          onReport(await runResearch({ ...research, projectDir: dir, signal }));
        } catch (error) {
          if (signal.aborted) return;
          onError(error);
        }
      } while (again && !signal.aborted);
    })().finally(() => {
      running = undefined;
    });
  };

  const watcher = watch(dir, { signal }, (_event, name) => {
    if (name !== null && name !== IMPROVEMENTS_FILE) return;
    clearTimeout(timer);
    timer = setTimeout(run, debounceMs);
  });
  watcher.on('error', (error) => {
    if (!signal.aborted) onError(error);
  });
  run();
  await new Promise<void>((done) => {
    if (signal.aborted) return done();
    signal.addEventListener('abort', () => done(), { once: true });
  });
  clearTimeout(timer);
  await running;
}
