import { useEffect, useRef } from 'react';
import { formatDuration } from '../format';

const live = new Map<HTMLElement, number>();
let timer: ReturnType<typeof setInterval> | undefined;

function tick(): void {
  const now = Date.now();
  for (const [element, since] of live) element.textContent = formatDuration(now - since);
}

/**
 * Time since `since`, or the span to `until` once it ended. Running clocks
 * are updated by one shared timer writing their text directly, so fifty
 * running trees do not re-render through React every second.
 */
export function Elapsed({ since, until }: { since: number; until: number | null }) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element || until !== null) return;
    live.set(element, since);
    timer ??= setInterval(tick, 1000);
    return () => {
      live.delete(element);
      if (live.size === 0 && timer !== undefined) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  }, [since, until]);
  return (
    <span ref={ref} className="metric">
      {formatDuration((until ?? Date.now()) - since)}
    </span>
  );
}
